import { createHmac } from 'node:crypto';
import { errorResponseSchema, userSchema } from '@chat/shared';
import { describe, expect, it } from 'vitest';
import { dbProbe } from './support/db-probe';
import { makeUser, refreshCookieOf, registerUser } from './support/builders';
import { startTestApp, TEST_SECRETS, useTestApp } from './support/test-app';

const expectErrorShape = (body: unknown, statusCode: number) => {
  const parsed = errorResponseSchema.strict().parse(body);
  expect(parsed.statusCode).toBe(statusCode);
  return parsed;
};

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const signHs256 = (header: object, payload: object, secret: string) => {
  const unsigned = `${base64url(header)}.${base64url(payload)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
};

describe('auth over HTTP', () => {
  // No grace window here, so a second use of a refresh token is always treated as theft.
  const t = useTestApp({ REFRESH_REUSE_GRACE_SECONDS: '0' });

  const countUsers = () => dbProbe(t).countUsers();

  describe('register', () => {
    it('creates the account, signs in, and sets an httpOnly SameSite=Strict cookie scoped to /api/auth', async () => {
      const input = makeUser({ email: '  Mixed.Case@Example.COM ', displayName: '  Ada Lovelace  ' });
      const res = await t.http().post('/api/auth/register').send(input);
      expect(res.status).toBe(201);
      expect(res.body.user).toMatchObject({ email: 'mixed.case@example.com', displayName: 'Ada Lovelace' });
      expect(userSchema.parse(res.body.user)).toBeTruthy();
      expect(res.body.expiresIn).toBe(900);
      expect(JSON.stringify(res.body)).not.toMatch(/password/i);
      const cookie = ([] as string[]).concat(res.headers['set-cookie']).find((c) => c.startsWith('refresh_token='))!;
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      expect(cookie).toMatch(/Path=\/api\/auth/);

      const me = await t.http().get('/api/auth/me').set('Authorization', `Bearer ${res.body.accessToken}`);
      expect(me.status).toBe(200);
      expect(me.body.email).toBe('mixed.case@example.com');
    });

    it('stores the password as an argon2id hash with at least the OWASP minimum cost', async () => {
      const { input } = await registerUser(t);
      const hash = await dbProbe(t).passwordHashOf(input.email);
      expect(hash).toMatch(/^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/);
      const [, m, tCost] = /m=(\d+),t=(\d+)/.exec(hash)!;
      expect(Number(m)).toBeGreaterThanOrEqual(19_456);
      expect(Number(tCost)).toBeGreaterThanOrEqual(2);
      expect(hash).not.toContain(input.password);
    });

    it('answers 409 for an email that is taken, whatever its case or spacing', async () => {
      const { input } = await registerUser(t);
      const res = await t
        .http()
        .post('/api/auth/register')
        .send({ ...input, email: ` ${input.email.toUpperCase()} ` });
      expect(res.status).toBe(409);
      expect(expectErrorShape(res.body, 409).code).toBe('EMAIL_TAKEN');
    });

    it('lets exactly one of two simultaneous sign-ups with one email through', async () => {
      const input = makeUser();
      const results = await Promise.all([1, 2, 3].map(() => t.http().post('/api/auth/register').send(input)));
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    });

    it.each([
      ['a missing body', undefined],
      ['wrong types', { email: 42, password: true, displayName: ['x'] }],
      ['an invalid email', { email: 'not-an-email', password: 'long enough', displayName: 'Bob' }],
      ['a 7-character password', { email: 'a@b.co', password: '1234567', displayName: 'Bob' }],
      ['a 129-character password', { email: 'a@b.co', password: 'x'.repeat(129), displayName: 'Bob' }],
      ['a 10,000-character password', { email: 'a@b.co', password: 'x'.repeat(10_000), displayName: 'Bob' }],
      ['a one-character display name after trimming', { email: 'a@b.co', password: 'long enough', displayName: '  B  ' }],
      ['a 65-character display name', { email: 'a@b.co', password: 'long enough', displayName: 'x'.repeat(65) }],
      ['an array body', [{ email: 'a@b.co' }]],
    ])('rejects %s with 400, field details and no row written', async (_case, body) => {
      const before = await countUsers();
      const res = await t.http().post('/api/auth/register').send(body);
      expect(res.status).toBe(400);
      const error = expectErrorShape(res.body, 400);
      expect(error.details?.length).toBeGreaterThan(0);
      expect(await countUsers()).toBe(before);
    });

    it('names each invalid field in details', async () => {
      const res = await t.http().post('/api/auth/register').send({ email: 'nope', password: 'short' });
      expect(res.status).toBe(400);
      const paths = expectErrorShape(res.body, 400)
        .details!.map((d) => d.path)
        .sort();
      expect(paths).toEqual(['displayName', 'email', 'password']);
    });

    it('answers malformed JSON with 400, a foreign content type with 415, and a body over 1 MB with 413', async () => {
      const malformed = await t.http().post('/api/auth/register').set('Content-Type', 'application/json').send('{"email":');
      expect(expectErrorShape(malformed.body, 400).message).toMatch(/json/i);

      const text = await t.http().post('/api/auth/register').set('Content-Type', 'text/plain').send('email=a@b.co');
      expectErrorShape(text.body, 415);

      const form = await t.http().post('/api/auth/register').type('form').send({ email: 'a@b.co', password: 'long enough', displayName: 'Bob' });
      expectErrorShape(form.body, 415);

      const huge = await t
        .http()
        .post('/api/auth/register')
        .send({ ...makeUser(), padding: 'x'.repeat(1_100_000) });
      expectErrorShape(huge.body, 413);
    });

    it('ignores __proto__ and constructor keys without polluting objects', async () => {
      const input = makeUser();
      const raw = `{"email":"${input.email}","password":"${input.password}","displayName":"${input.displayName}","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"isAdmin":true}`;
      const res = await t.http().post('/api/auth/register').set('Content-Type', 'application/json').send(raw);
      expect(res.status).toBe(201);
      expect(res.body.user).not.toHaveProperty('isAdmin');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  describe('login', () => {
    it('signs in with the right password and any casing of the email', async () => {
      const { input } = await registerUser(t);
      const res = await t.http().post('/api/auth/login').send({ email: input.email.toUpperCase(), password: input.password });
      expect(res.status).toBe(200);
      expect(res.body.user.email).toBe(input.email);
      expect(refreshCookieOf(res)).toMatch(/^refresh_token=/);
    });

    it('answers an unknown email and a wrong password with the same 401', async () => {
      const { input } = await registerUser(t);
      const wrong = await t.http().post('/api/auth/login').send({ email: input.email, password: 'wrong password' });
      const unknown = await t.http().post('/api/auth/login').send({ email: 'nobody@example.com', password: 'wrong password' });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body).toEqual(unknown.body);
      expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
    });

    it('refuses the 6th attempt after 5 failures with 429 and Retry-After, even with the right password', async () => {
      const { input } = await registerUser(t);
      for (let attempt = 1; attempt <= 5; attempt++) {
        const res = await t
          .http()
          .post('/api/auth/login')
          .send({ email: input.email, password: `wrong ${attempt}` });
        expect(res.status).toBe(401);
      }
      const blocked = await t.http().post('/api/auth/login').send({ email: input.email, password: input.password });
      expect(blocked.status).toBe(429);
      expect(expectErrorShape(blocked.body, 429).code).toBe('RATE_LIMITED');
      const retryAfter = Number(blocked.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(15 * 60);

      // The limit is per (email, IP): another account from the same address still signs in.
      const other = await registerUser(t);
      const ok = await t.http().post('/api/auth/login').send({ email: other.input.email, password: other.input.password });
      expect(ok.status).toBe(200);
    });

    it('rejects a missing password with 400', async () => {
      const res = await t.http().post('/api/auth/login').send({ email: 'a@b.co' });
      expectErrorShape(res.body, 400);
    });
  });

  describe('refresh', () => {
    it('rotates: a new access token and a new refresh cookie on every refresh', async () => {
      const { refreshCookie, auth } = await registerUser(t);
      const res = await t.http().post('/api/auth/refresh').set('Cookie', refreshCookie);
      expect(res.status).toBe(200);
      expect(res.body.accessToken).not.toBe(auth.accessToken);
      const next = refreshCookieOf(res);
      expect(next).not.toBe(refreshCookie);

      const again = await t.http().post('/api/auth/refresh').set('Cookie', next);
      expect(again.status).toBe(200);
      const me = await t.http().get('/api/auth/me').set('Authorization', `Bearer ${again.body.accessToken}`);
      expect(me.body.id).toBe(auth.user.id);
    });

    it('treats a second use of a refresh token as theft: 401 and the whole family is revoked', async () => {
      const { refreshCookie } = await registerUser(t);
      const first = await t.http().post('/api/auth/refresh').set('Cookie', refreshCookie);
      expect(first.status).toBe(200);
      const descendant = refreshCookieOf(first);

      const reuse = await t.http().post('/api/auth/refresh').set('Cookie', refreshCookie);
      expect(reuse.status).toBe(401);
      expect(reuse.body.code).toBe('REFRESH_TOKEN_REUSED');

      // The legitimate descendant and its access token stop working too.
      const descendantUse = await t.http().post('/api/auth/refresh').set('Cookie', descendant);
      expect(descendantUse.status).toBe(401);
      const me = await t.http().get('/api/auth/me').set('Authorization', `Bearer ${first.body.accessToken}`);
      expect(me.status).toBe(401);
    });

    it('keeps two tabs signed in when both refresh with the same cookie at once (grace window)', async () => {
      const graceful = await startTestApp({ REFRESH_REUSE_GRACE_SECONDS: '10' });
      try {
        const { refreshCookie } = await registerUser(graceful);
        const [tab1, tab2] = await Promise.all([1, 2].map(() => graceful.http().post('/api/auth/refresh').set('Cookie', refreshCookie)));
        expect([tab1.status, tab2.status]).toEqual([200, 200]);
        for (const tab of [tab1, tab2]) {
          expect((await graceful.http().get('/api/auth/me').set('Authorization', `Bearer ${tab.body.accessToken}`)).status).toBe(200);
          expect((await graceful.http().post('/api/auth/refresh').set('Cookie', refreshCookieOf(tab))).status).toBe(200);
        }
      } finally {
        await graceful.close();
      }
    });

    it('answers 401 without a cookie or with a forged one', async () => {
      expect((await t.http().post('/api/auth/refresh')).status).toBe(401);
      const forged = signHs256(
        { alg: 'HS256', typ: 'JWT' },
        { sub: 'x', sid: 'y', typ: 'refresh', jti: 'z', exp: 9e9 },
        'wrong-secret-wrong-secret-wrong-secret',
      );
      expect((await t.http().post('/api/auth/refresh').set('Cookie', `refresh_token=${forged}`)).status).toBe(401);
    });

    it('does not accept an access token as a refresh token', async () => {
      const { auth } = await registerUser(t);
      const res = await t.http().post('/api/auth/refresh').set('Cookie', `refresh_token=${auth.accessToken}`);
      expect(res.status).toBe(401);
    });
  });

  describe('logout', () => {
    it('blacklists the access token, ends the session, and clears the cookie', async () => {
      const { auth, refreshCookie } = await registerUser(t);
      const res = await t.http().post('/api/auth/logout').set('Authorization', `Bearer ${auth.accessToken}`).set('Cookie', refreshCookie);
      expect(res.status).toBe(204);
      expect(([] as string[]).concat(res.headers['set-cookie']).join(';')).toMatch(/refresh_token=;/);

      const me = await t.http().get('/api/auth/me').set('Authorization', `Bearer ${auth.accessToken}`);
      expect(me.status).toBe(401);
      expect(me.body.code).toBe('TOKEN_REVOKED');
      expect((await t.http().post('/api/auth/refresh').set('Cookie', refreshCookie)).status).toBe(401);
    });

    it('also ends access tokens the same session handed to another tab', async () => {
      const { auth, refreshCookie } = await registerUser(t);
      const otherTab = await t.http().post('/api/auth/refresh').set('Cookie', refreshCookie);
      await t.http().post('/api/auth/logout').set('Authorization', `Bearer ${auth.accessToken}`);
      const me = await t.http().get('/api/auth/me').set('Authorization', `Bearer ${otherTab.body.accessToken}`);
      expect(me.status).toBe(401);
    });

    it('works with only the cookie (an expired access token) and leaves other sessions alone', async () => {
      const { input, refreshCookie } = await registerUser(t);
      const laptop = await t.http().post('/api/auth/login').send({ email: input.email, password: input.password });
      const res = await t.http().post('/api/auth/logout').set('Cookie', refreshCookie);
      expect(res.status).toBe(204);
      expect((await t.http().post('/api/auth/refresh').set('Cookie', refreshCookie)).status).toBe(401);
      expect((await t.http().get('/api/auth/me').set('Authorization', `Bearer ${laptop.body.accessToken}`)).status).toBe(200);
    });
  });

  describe('access tokens', () => {
    it.each([
      ['no header', undefined],
      ['a non-bearer scheme', 'Basic abc'],
      ['garbage', 'Bearer not.a.jwt'],
    ])('answers %s with 401 in the error shape', async (_case, header) => {
      const req = t.http().get('/api/auth/me');
      const res = await (header ? req.set('Authorization', header) : req);
      expectErrorShape(res.body, 401);
    });

    it('refuses alg none, a wrong signature, an expired token, and a refresh token', async () => {
      const { auth, refreshCookie } = await registerUser(t);
      const [, payload] = auth.accessToken.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const none = `${base64url({ alg: 'none', typ: 'JWT' })}.${payload}.`;
      const wrongKey = signHs256({ alg: 'HS256', typ: 'JWT' }, claims, 'another-secret-another-secret-another');
      const expired = signHs256({ alg: 'HS256', typ: 'JWT' }, { ...claims, exp: Math.floor(Date.now() / 1000) - 10 }, TEST_SECRETS.JWT_ACCESS_SECRET);
      const notYet = signHs256({ alg: 'HS256', typ: 'JWT' }, { ...claims, nbf: Math.floor(Date.now() / 1000) + 3600 }, TEST_SECRETS.JWT_ACCESS_SECRET);
      const refresh = refreshCookie.slice('refresh_token='.length);
      for (const token of [none, wrongKey, expired, notYet, refresh]) {
        const res = await t.http().get('/api/auth/me').set('Authorization', `Bearer ${token}`);
        expect(res.status).toBe(401);
      }
    });
  });

  it('documents every auth endpoint in Swagger', async () => {
    const res = await t.http().get('/api/docs-json');
    expect(res.status).toBe(200);
    for (const path of ['/api/auth/register', '/api/auth/login', '/api/auth/logout', '/api/auth/refresh', '/api/auth/me']) {
      expect(res.body.paths).toHaveProperty([path]);
    }
    expect(res.body.paths['/api/auth/register'].post.responses).toHaveProperty(['409']);
    expect(res.body.components.securitySchemes).toHaveProperty(['bearer']);
    expect((await t.http().get('/api/docs')).status).toBe(200);
  });
});
