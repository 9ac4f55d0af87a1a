import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, createDirect, createGroup, registerUser, registerUsers, type SignedIn, signInAgain } from './support/builders';
import { collect, connectExpectingRefusal } from './support/sockets';
import { useFakeWebDist, useTestApp } from './support/test-app';
import { useSocketSuite } from './support/socket-suite';
import { EMOJI_PICKER_STYLE_HASH } from '../src/common/http/security-headers';

describe('account: display name and password', () => {
  const suite = useSocketSuite({ LOGIN_MAX_FAILURES: '3' });
  const t = suite.app;
  const open = suite.open;

  describe('PATCH /api/users/me', () => {
    it("renames the user: the response, /me, the other person's conversation view and open sockets all show the new name", async () => {
      const [alice, bob] = await registerUsers(t, 2);
      const direct = await t
        .http()
        .post('/api/conversations')
        .set(bearer(alice))
        .send({ type: 'direct', participantIds: [bob.auth.user.id] });
      const aliceOtherTab = collect(await open(alice), 'user:updated');
      const bobSees = collect(await open(bob), 'user:updated');

      const res = await t.http().patch('/api/users/me').set(bearer(alice)).send({ displayName: '  Alice Liddell  ' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: alice.auth.user.id, email: alice.input.email, displayName: 'Alice Liddell' });

      expect((await t.http().get('/api/auth/me').set(bearer(alice))).body.displayName).toBe('Alice Liddell');
      const seenByBob = await t.http().get(`/api/conversations/${direct.body.id}`).set(bearer(bob));
      expect(seenByBob.body.peer).toEqual({ id: alice.auth.user.id, displayName: 'Alice Liddell' });
      expect(seenByBob.body.participants.map((p: { user: { displayName: string } }) => p.user.displayName)).toContain('Alice Liddell');

      const expected = { user: { id: alice.auth.user.id, displayName: 'Alice Liddell' } };
      expect((await aliceOtherTab.waitFor(1))[0]).toEqual(expected);
      expect((await bobSees.waitFor(1))[0]).toEqual(expected);
    });

    it('does not tell strangers', async () => {
      const [carol, stranger] = await registerUsers(t, 2);
      const strangerSees = collect(await open(stranger), 'user:updated');
      const carolSees = collect(await open(carol), 'user:updated');
      expect((await t.http().patch('/api/users/me').set(bearer(carol)).send({ displayName: 'Carol R' })).status).toBe(200);
      await carolSees.waitFor(1);
      expect(strangerSees.items).toEqual([]);
    });

    it.each([
      ['missing', {}],
      ['too short', { displayName: 'A' }],
      ['blank', { displayName: '    ' }],
      ['too long', { displayName: 'x'.repeat(65) }],
      ['not a string', { displayName: 42 }],
      ['with a NUL', { displayName: 'Eve\u0000il' }],
    ])('refuses a %s display name with 400 and the error shape, and keeps the old one', async (_case, body) => {
      const user = await registerUser(t);
      const res = await t.http().patch('/api/users/me').set(bearer(user)).send(body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: expect.any(String), message: expect.any(String) });
      expect(res.body.details?.[0]?.path).toBe('displayName');
      expect((await t.http().get('/api/auth/me').set(bearer(user))).body.displayName).toBe(user.input.displayName);
    });

    it('needs a signed-in user', async () => {
      expect((await t.http().patch('/api/users/me').send({ displayName: 'Nobody' })).status).toBe(401);
    });
  });

  describe('POST /api/auth/password', () => {
    it('changes the password, ends every other session (refresh, access token and socket) and keeps this one', async () => {
      const here = await registerUser(t);
      const elsewhere = await signInAgain(t, here);
      const otherSocket = await open(elsewhere);
      const otherSocketAuthErrors = collect(otherSocket, 'auth:error');
      const disconnected = new Promise<string>((resolve) => otherSocket.once('disconnect', resolve));
      const thisSocket = await open(here);

      const res = await t
        .http()
        .post('/api/auth/password')
        .set(bearer(here))
        .send({ currentPassword: here.input.password, newPassword: 'a brand new passphrase' });
      expect(res.status).toBe(204);

      // The other device: told why, disconnected, and its tokens are dead.
      expect(await disconnected).toBe('io server disconnect');
      expect(otherSocketAuthErrors.items[0]).toMatchObject({ code: 'AUTH_FAILED' });
      expect((await t.http().get('/api/auth/me').set(bearer(elsewhere))).status).toBe(401);
      expect((await t.http().post('/api/auth/refresh').set('Cookie', elsewhere.refreshCookie)).status).toBe(401);
      const reconnect = await connectExpectingRefusal(t.baseUrl, { token: elsewhere.auth.accessToken });
      expect(reconnect.authenticated).toBe(false);

      // This device goes on: same access token, same refresh cookie, same socket.
      expect(thisSocket.connected).toBe(true);
      expect((await t.http().get('/api/auth/me').set(bearer(here))).status).toBe(200);
      expect((await t.http().post('/api/auth/refresh').set('Cookie', here.refreshCookie)).status).toBe(200);

      // Only the new password signs in.
      expect((await t.http().post('/api/auth/login').send({ email: here.input.email, password: here.input.password })).status).toBe(401);
      expect((await t.http().post('/api/auth/login').send({ email: here.input.email, password: 'a brand new passphrase' })).status).toBe(200);
    });

    it('refuses a wrong current password with a field error, changes nothing and ends no session', async () => {
      const here = await registerUser(t);
      const elsewhere = await signInAgain(t, here);
      const res = await t.http().post('/api/auth/password').set(bearer(here)).send({ currentPassword: 'not my password', newPassword: 'another passphrase' });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'WRONG_PASSWORD', details: [{ path: 'currentPassword' }] });
      expect((await t.http().get('/api/auth/me').set(bearer(elsewhere))).status).toBe(200);
      expect((await t.http().post('/api/auth/login').send({ email: here.input.email, password: here.input.password })).status).toBe(200);
    });

    it('limits wrong current passwords like sign-in (LOGIN_MAX_FAILURES per 15 minutes)', async () => {
      const here = await registerUser(t);
      const attempt = (currentPassword: string) =>
        t.http().post('/api/auth/password').set(bearer(here)).send({ currentPassword, newPassword: 'another passphrase' });
      for (let i = 0; i < 3; i++) expect((await attempt(`guess ${i}`)).status).toBe(400);
      const limited = await attempt(here.input.password);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect((await t.http().post('/api/auth/login').send({ email: here.input.email, password: here.input.password })).status).toBe(200);
    });

    it.each([
      ['no current password', { newPassword: 'another passphrase' }, 'currentPassword'],
      ['an empty current password', { currentPassword: '', newPassword: 'another passphrase' }, 'currentPassword'],
      ['a short new password', { currentPassword: 'whatever', newPassword: 'short' }, 'newPassword'],
      ['a too long new password', { currentPassword: 'whatever', newPassword: 'x'.repeat(129) }, 'newPassword'],
      ['no new password', { currentPassword: 'whatever' }, 'newPassword'],
    ])('refuses %s with 400 naming the field', async (_case, body, field) => {
      const here = await registerUser(t);
      const res = await t.http().post('/api/auth/password').set(bearer(here)).send(body);
      expect(res.status).toBe(400);
      expect(res.body.details.map((d: { path: string }) => d.path)).toContain(field);
    });

    it('needs a signed-in user', async () => {
      expect((await t.http().post('/api/auth/password').send({ currentPassword: 'x', newPassword: 'another passphrase' })).status).toBe(401);
    });
  });
});

describe('invite preview: GET /api/conversations/:id/preview', () => {
  const t = useTestApp();
  let owner: SignedIn;
  let member: SignedIn;
  let outsider: SignedIn;
  let publicGroup: string;
  let privateGroup: string;
  let direct: string;

  beforeAll(async () => {
    [owner, member, outsider] = await registerUsers(t, 3);
    publicGroup = (await createGroup(t, owner, [member], { title: 'Open house', isPublic: true })).id;
    privateGroup = (await createGroup(t, owner, [member], { title: 'Secret plans', isPublic: false })).id;
    direct = (await createDirect(t, owner, member)).id;
  });

  const preview = (user: SignedIn, id: string) => t.http().get(`/api/conversations/${id}/preview`).set(bearer(user));

  it('shows a public group to anyone signed in: name and member count, and whether they are in it', async () => {
    const res = await preview(outsider, publicGroup);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: publicGroup, type: 'group', title: 'Open house', isPublic: true, participantCount: 2, isMember: false });

    expect((await t.http().post(`/api/conversations/${publicGroup}/join`).set(bearer(outsider))).status).toBe(200);
    expect((await preview(outsider, publicGroup)).body).toMatchObject({ participantCount: 3, isMember: true });
  });

  it('shows private conversations to their members only; to anyone else they do not exist', async () => {
    expect((await preview(member, privateGroup)).body).toMatchObject({ title: 'Secret plans', isPublic: false, participantCount: 2, isMember: true });
    expect((await preview(member, direct)).body).toMatchObject({ type: 'direct', title: null, participantCount: 2, isMember: true });

    const hidden = [await preview(outsider, privateGroup), await preview(outsider, direct), await preview(outsider, crypto.randomUUID())];
    for (const res of hidden) {
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ statusCode: 404, code: 'CONVERSATION_NOT_FOUND' });
      expect(JSON.stringify(res.body)).not.toContain('Secret');
    }
  });

  it('refuses a malformed id with 400 and asks for a signed-in user', async () => {
    expect((await preview(outsider, 'not-a-uuid')).status).toBe(400);
    expect((await t.http().get(`/api/conversations/${publicGroup}/preview`)).status).toBe(401);
  });
});

describe('security headers', () => {
  const webDist = useFakeWebDist('<!doctype html><title>Chat</title><div id="root"></div><script type="module" src="/app.js"></script>');
  const t = useTestApp({ WEB_DIST: webDist });

  /** The CSP as directive -> sources. */
  const policyOf = (header: string | undefined) =>
    new Map(
      (header ?? '')
        .split(';')
        .map((part) => part.trim().split(/\s+/))
        .filter((words) => words[0])
        .map(([name, ...sources]) => [name, sources]),
    );

  const expectBaseline = (headers: Record<string, string>) => {
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['x-powered-by']).toBeUndefined();
    const policy = policyOf(headers['content-security-policy']);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(policy.get('font-src')).toEqual(["'self'"]);
    return policy;
  };

  it('on API responses, errors included: a strict policy that lets the socket reach this origin only', async () => {
    for (const res of [await t.http().get('/health/ready'), await t.http().get('/api/auth/me'), await t.http().get('/api/nope')]) {
      const policy = expectBaseline(res.headers);
      expect(policy.get('style-src')).toEqual(["'self'", EMOJI_PICKER_STYLE_HASH]);
      const host = new URL(t.baseUrl).host;
      expect(policy.get('connect-src')).toEqual(["'self'", `ws://${host}`, `wss://${host}`]);
    }
  });

  it('on the web app and its client routes: no inline script, and no inline style but the emoji picker stylesheet', async () => {
    for (const path of ['/', '/login', '/app.js']) {
      const res = await t.http().get(path).set('Accept', 'text/html');
      expect(res.status, path).toBe(200);
      const policy = expectBaseline(res.headers);
      expect(policy.get('style-src'), path).toEqual(["'self'", EMOJI_PICKER_STYLE_HASH]);
      expect(policy.get('script-src'), path).not.toContain("'unsafe-inline'");
    }
  });

  it('on the Swagger UI: inline styles allowed there only, scripts still only from this origin', async () => {
    const page = await t.http().get('/api/docs/').redirects(1);
    expect(page.status).toBe(200);
    expect(page.text).toContain('swagger-ui');
    const policy = expectBaseline(page.headers);
    expect(policy.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    // Its scripts are files on this origin, which the policy allows.
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>\s*\S/);
  });

  it('ignores a Host header that would inject a directive', async () => {
    const res = await t.http().get('/health/live').set('Host', "evil.example; script-src 'unsafe-inline'");
    const policy = policyOf(res.headers['content-security-policy']);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
  });
});
