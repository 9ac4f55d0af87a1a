// The bare reference server (bench/reference/server.mjs) for a benchmark run: started on the run's
// database and Redis key prefix, seeded through its own API (it keeps no state a benchmark could
// write in SQL, such as tokens).
import { join } from 'node:path';
import { REDIS_URL, ROOT, startServer } from './bench-kit.mjs';

const PASSWORD = 'bench-password';

export function startReferenceServer(infra, env = {}) {
  return startServer(
    { DATABASE_URL: infra.databaseUrl, REDIS_URL, REDIS_KEY_PREFIX: infra.redisPrefix, MESSAGE_RATE_LIMIT: '1000000', ...env },
    { script: join(ROOT, 'bench/reference/server.mjs') },
  );
}

async function post(baseUrl, path, body, token) {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/** Runs `work(item)` over `items`, `width` at a time. */
async function inBatches(items, width, work) {
  const results = [];
  for (let i = 0; i < items.length; i += width) results.push(...(await Promise.all(items.slice(i, i + width).map(work))));
  return results;
}

const emailOf = (n) => `bench-${n}@example.com`;

/**
 * The same shape as socket-load's seedUsersInGroups, through the API: `count` users and `groups`
 * groups of `size` consecutive users (wrapping around). Returns { users, groups, tokenOf }.
 */
export async function seedReferenceUsersInGroups(baseUrl, { users: count, groups, groupSize }) {
  const accounts = await inBatches(
    Array.from({ length: count }, (_, i) => i + 1),
    50,
    (n) => post(baseUrl, '/api/auth/register', { email: emailOf(n), password: PASSWORD, displayName: `Bench ${String(n).padStart(6, '0')}` }),
  );
  const users = accounts.map((a) => a.user.id);
  const tokens = new Map(accounts.map((a) => [a.user.id, a.accessToken]));
  const memberLists = Array.from({ length: groups }, (_, g) => Array.from({ length: groupSize }, (_, i) => users[(g * groupSize + i) % users.length]));
  const created = await inBatches(memberLists, 20, (members) =>
    post(baseUrl, '/api/conversations', { type: 'group', title: 'Bench', participantIds: members.slice(1) }, tokens.get(members[0])),
  );
  return { users, groups: created.map((c, i) => ({ id: c.id, members: memberLists[i] })), tokenOf: (userId) => tokens.get(userId) };
}

/** Fresh tokens for seeded users after a restart of the reference server (its tokens live in memory). */
export async function signInReferenceUsers(baseUrl, seeded) {
  const accounts = await inBatches(
    seeded.users.map((_, i) => i + 1),
    50,
    (n) => post(baseUrl, '/api/auth/login', { email: emailOf(n), password: PASSWORD }),
  );
  const tokens = new Map(accounts.map((a) => [a.user.id, a.accessToken]));
  return { ...seeded, tokenOf: (userId) => tokens.get(userId) };
}
