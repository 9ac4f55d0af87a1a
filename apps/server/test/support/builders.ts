import { bearer, createGroup, createUser, createUsers, makeUser, type RegisterInput, signIn, type Target, testUser, type TestUser } from '@chat/test-kit';
import type request from 'supertest';

export { bearer, makeUser, type RegisterInput, type Target };

/** A registered user: the kit's fields plus what register answered (`auth`) and its refresh cookie. */
export type SignedIn = TestUser;

export const registerUser = (target: Target, overrides: Partial<RegisterInput> = {}): Promise<SignedIn> => createUser(target, overrides);

export const registerUsers = (target: Target, count: number, overrides?: (i: number) => Partial<RegisterInput>): Promise<SignedIn[]> =>
  createUsers(target, count, overrides);

/** A second device of the same account: its own session (refresh cookie, access token). */
export const signInAgain = (target: Target, user: SignedIn): Promise<SignedIn> => signIn(target, user);

/** The raw `refresh_token=...` cookie pair of a supertest response. */
export function refreshCookieOf(res: request.Response): string {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const cookie = cookies.find((c) => c.startsWith('refresh_token='));
  if (!cookie) throw new Error(`no refresh cookie in ${JSON.stringify(res.headers)}`);
  return cookie.split(';')[0];
}

/** Registers through a supertest agent: for a server fetch cannot reach as is (TLS with the test's own CA). */
export async function registerThrough(http: () => ReturnType<typeof request>, overrides: Partial<RegisterInput> = {}): Promise<SignedIn> {
  const input = makeUser(overrides);
  const res = await http().post('/api/auth/register').send(input);
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return testUser(input, res.body as TestUser['auth'], refreshCookieOf(res));
}

/** `size` registered people in a group titled 'Team', the first of them its owner. */
export async function registerGroup(target: Target, size = 3): Promise<{ people: SignedIn[]; id: string }> {
  const people = await createUsers(target, size);
  const [owner, ...members] = people;
  const { id } = await createGroup<{ id: string }>(target, owner, members, { title: 'Team' });
  return { people, id };
}

export { createDirect, createGroup, sendMessage } from '@chat/test-kit';
