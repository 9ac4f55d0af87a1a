import { randomUUID } from 'node:crypto';
import type { AuthResponse } from '@chat/shared';
import type request from 'supertest';

export interface RegisterInput {
  email: string;
  password: string;
  displayName: string;
}

export function makeUser(overrides: Partial<RegisterInput> = {}): RegisterInput {
  const id = randomUUID().slice(0, 8);
  return { email: `user-${id}@example.com`, password: 'correct horse battery', displayName: `User ${id}`, ...overrides };
}

export interface SignedIn {
  input: RegisterInput;
  auth: AuthResponse;
  /** The raw `refresh_token=...` cookie pair. */
  refreshCookie: string;
}

export function refreshCookieOf(res: request.Response): string {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const cookie = cookies.find((c) => c.startsWith('refresh_token='));
  if (!cookie) throw new Error(`no refresh cookie in ${JSON.stringify(res.headers)}`);
  return cookie.split(';')[0]!;
}

export async function registerUser(http: () => ReturnType<typeof request>, overrides: Partial<RegisterInput> = {}): Promise<SignedIn> {
  const input = makeUser(overrides);
  const res = await http().post('/api/auth/register').send(input);
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { input, auth: res.body as AuthResponse, refreshCookie: refreshCookieOf(res) };
}

export const bearer = (user: SignedIn) => ({ Authorization: `Bearer ${user.auth.accessToken}` });

export async function registerUsers(http: () => ReturnType<typeof request>, count: number, overrides: (i: number) => Partial<RegisterInput> = () => ({})): Promise<SignedIn[]> {
  const users: SignedIn[] = [];
  // Sequential keeps Argon2 from saturating the two cores all at once.
  for (let i = 0; i < count; i++) users.push(await registerUser(http, overrides(i)));
  return users;
}

/** A second device of the same account: its own session (refresh cookie, access token). */
export async function signInAgain(http: () => ReturnType<typeof request>, user: SignedIn): Promise<SignedIn> {
  const res = await http().post('/api/auth/login').send({ email: user.input.email, password: user.input.password });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { input: user.input, auth: res.body as AuthResponse, refreshCookie: refreshCookieOf(res) };
}
