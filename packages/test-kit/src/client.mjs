// Builders that act as a user would, over the public HTTP API and the /chat socket. `target` is a
// base URL or anything with a `baseUrl` (a test app, a server process).
import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';

export const PASSWORD = 'correct horse battery';

const urlOf = (target) => (typeof target === 'string' ? target : target.baseUrl);

export function makeUser(overrides = {}) {
  const id = randomUUID().slice(0, 8);
  return { email: `user-${id}@example.com`, password: PASSWORD, displayName: `User ${id}`, ...overrides };
}

/** The raw `refresh_token=...` cookie pair of a response. */
export function refreshCookieOf(response) {
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('refresh_token='));
  if (!cookie) throw new Error(`no refresh cookie in ${JSON.stringify(Object.fromEntries(response.headers))}`);
  return cookie.split(';')[0];
}

/** A signed-in user from what register or login answered, and the input that made them. */
export function testUser(input, auth, refreshCookie) {
  return {
    id: auth.user.id,
    token: auth.accessToken,
    email: input.email,
    password: input.password,
    displayName: auth.user.displayName,
    input,
    auth,
    refreshCookie,
  };
}

async function signedIn(response, input, what) {
  const text = await response.text();
  if (response.status !== (what === 'register' ? 201 : 200)) throw new Error(`${what} failed: ${response.status} ${text}`);
  return testUser(input, JSON.parse(text), refreshCookieOf(response));
}

const postJson = (target, path, body, headers = {}) =>
  fetch(`${urlOf(target)}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** Registers through the API; throws unless the server answered 201. */
export async function createUser(target, overrides = {}) {
  const input = makeUser(overrides);
  return signedIn(await postJson(target, '/api/auth/register', input), input, 'register');
}

export async function createUsers(target, count, overrides = () => ({})) {
  const users = [];
  // Sequential keeps Argon2 from saturating the machine's cores all at once.
  for (let i = 0; i < count; i++) users.push(await createUser(target, overrides(i)));
  return users;
}

/** A second device of the same account: its own session (refresh cookie, access token). */
export async function signIn(target, user) {
  const input = user.input ?? { email: user.email, password: user.password, displayName: user.displayName };
  return signedIn(await postJson(target, '/api/auth/login', { email: input.email, password: input.password }), input, 'login');
}

export const bearer = (user) => ({ Authorization: `Bearer ${user.token ?? user.accessToken}` });

/** A JSON API call as `user`; throws on an unexpected status so set-up failures are obvious. */
export async function api(target, user, method, path, body, expectStatus = [200, 201, 204]) {
  const response = await fetch(`${urlOf(target)}${path}`, {
    method,
    headers: { ...bearer(user), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!expectStatus.includes(response.status)) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

const idOf = (user) => (typeof user === 'string' ? user : user.id);

/** The direct conversation of `user` and `other` (created, or the existing one). */
export const createDirect = (target, user, other) =>
  api(target, user, 'POST', '/api/conversations', { type: 'direct', participantIds: [idOf(other)] }, [200, 201]);

/** A group owned by `owner` with `members`; `fields` adds title, description, isPublic. */
export const createGroup = (target, owner, members, fields = {}) =>
  api(target, owner, 'POST', '/api/conversations', { type: 'group', title: 'Group', ...fields, participantIds: members.map(idOf) }, [201]);

/** A message sent over HTTP (the socket path is message:send). */
export const sendMessage = (target, user, conversationId, content, clientMessageId = randomUUID()) =>
  api(target, user, 'POST', `/api/conversations/${conversationId}/messages`, { content, clientMessageId }, [200, 201]);

/**
 * A real socket.io client on /chat; resolves once the server said auth:success. `heartbeatMs`
 * sends presence:heartbeat like the web client while connected, with `socket.presenceStatus`
 * (default online).
 */
export async function openSocket(target, token, { heartbeatMs, extraHeaders, query, timeoutMs = 5_000, ...options } = {}) {
  const socket = io(`${urlOf(target)}/chat`, {
    auth: token ? { token } : {},
    query,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders,
    ...options,
  });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no auth:success within ${timeoutMs / 1000} s`)), timeoutMs);
    socket.once('auth:success', () => (clearTimeout(timer), resolve()));
    socket.once('auth:error', (e) => (clearTimeout(timer), reject(new Error(`auth:error ${JSON.stringify(e)}`))));
    socket.once('connect_error', (e) => (clearTimeout(timer), reject(e)));
  });
  if (heartbeatMs) {
    const beat = setInterval(() => socket.emit('presence:heartbeat', { status: socket.presenceStatus ?? 'online' }), heartbeatMs);
    socket.on('disconnect', () => clearInterval(beat));
  }
  return socket;
}

/** Opens sockets as `openSocket` does and closes every one of them on closeAll() (e.g. after each test). */
export function socketPool() {
  const sockets = [];
  return {
    sockets,
    async open(target, token, options) {
      const socket = await openSocket(target, token, options);
      sockets.push(socket);
      return socket;
    },
    closeAll() {
      for (const socket of sockets.splice(0)) socket.close();
    },
  };
}
