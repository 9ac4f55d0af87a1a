import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, registerUsers, type SignedIn, signInAgain } from './support/builders';
import { collect } from './support/sockets';
import { useSocketCluster } from './support/socket-suite';

describe('account changes across two nodes (PostgreSQL + Redis)', () => {
  const { node, open } = useSocketCluster(2);
  let ada: SignedIn;
  let ben: SignedIn;

  beforeAll(async () => {
    [ada, ben] = await registerUsers(node(0), 2, (i) => ({ displayName: ['Ada', 'Ben'][i] }));
    const direct = await node(0)
      .http()
      .post('/api/conversations')
      .set(bearer(ada))
      .send({ type: 'direct', participantIds: [ben.auth.user.id] });
    expect(direct.status).toBe(201);
  });

  it('a rename on one node reaches a contact connected to the other', async () => {
    const benSocket = await open(1, ben);
    const updates = collect(benSocket, 'user:updated');
    expect((await node(0).http().patch('/api/users/me').set(bearer(ada)).send({ displayName: 'Ada Okafor' })).status).toBe(200);
    expect((await updates.waitFor(1))[0]).toEqual({ user: { id: ada.auth.user.id, displayName: 'Ada Okafor' } });
  });

  it('a password change on one node ends the other session, whose socket is on the other node', async () => {
    const elsewhere = await signInAgain(node(1), ben);
    const otherSocket = await open(1, elsewhere);
    const authErrors = collect(otherSocket, 'auth:error');
    const disconnected = new Promise<string>((resolve) => otherSocket.once('disconnect', resolve));
    const thisSocket = await open(0, ben);

    const res = await node(0)
      .http()
      .post('/api/auth/password')
      .set(bearer(ben))
      .send({ currentPassword: ben.input.password, newPassword: 'another long passphrase' });
    expect(res.status).toBe(204);

    expect(await disconnected).toBe('io server disconnect');
    expect(authErrors.items[0]).toMatchObject({ code: 'AUTH_FAILED' });
    expect((await node(1).http().get('/api/auth/me').set(bearer(elsewhere))).status).toBe(401);
    // The session that changed it keeps working, on either node.
    expect(thisSocket.connected).toBe(true);
    expect((await node(1).http().get('/api/auth/me').set(bearer(ben))).status).toBe(200);
  });
});
