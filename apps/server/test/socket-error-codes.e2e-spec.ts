import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bearer, createGroup, registerUsers } from './support/builders';
import { collect, emitWithAck, sleep } from './support/sockets';
import { useSocketSuite } from './support/socket-suite';

/** A failure HTTP answers with 403, 404 or 409 keeps that meaning on a socket: it is not bad input. */
describe('socket error codes of HTTP-like failures', () => {
  const suite = useSocketSuite();

  const twoGroups = async () => {
    const [ada, ben] = await registerUsers(suite.app, 2);
    const first = await createGroup<{ id: string }>(suite.app, ada, [ben], { title: 'First' });
    const second = await createGroup<{ id: string }>(suite.app, ada, [ben], { title: 'Second' });
    return { ada, first: first.id, second: second.id };
  };
  const history = async (user: Parameters<typeof bearer>[0], conversationId: string) =>
    (await suite.app.http().get(`/api/conversations/${conversationId}/messages`).set(bearer(user))).body.messages as Array<{ content: string }>;

  it('answers a clientMessageId reused in another conversation with CONFLICT, in the ack and message:error, and stores nothing', async () => {
    const { ada, first, second } = await twoGroups();
    const socket = await suite.open(ada);
    const failures = collect(socket, 'message:error');
    const clientMessageId = randomUUID();
    expect(await emitWithAck(socket, 'message:send', { conversationId: first, content: 'once', clientMessageId })).toMatchObject({ ok: true });

    const ack = await emitWithAck(socket, 'message:send', { conversationId: second, content: 'elsewhere', clientMessageId });
    expect(ack).toMatchObject({ ok: false, code: 'CONFLICT', event: 'message:send', clientMessageId });
    expect((await failures.waitFor(1))[0]).toMatchObject({ code: 'CONFLICT', event: 'message:send', clientMessageId });
    expect(await history(ada, second)).toEqual([]);
    expect((await history(ada, first)).map((m) => m.content)).toEqual(['once']);
    // The same refusal over HTTP is a 409.
    const http = await suite.app.http().post(`/api/conversations/${second}/messages`).set(bearer(ada)).send({ content: 'elsewhere', clientMessageId });
    expect(http.status).toBe(409);
  });

  it('sends CONFLICT as message:error alone when the send had no ack', async () => {
    const { ada, first, second } = await twoGroups();
    const socket = await suite.open(ada);
    const failures = collect(socket, 'message:error');
    const errors = collect(socket, 'error');
    const clientMessageId = randomUUID();
    expect(await emitWithAck(socket, 'message:send', { conversationId: first, content: 'once', clientMessageId })).toMatchObject({ ok: true });

    socket.emit('message:send', { conversationId: second, content: 'elsewhere', clientMessageId });
    expect((await failures.waitFor(1))[0]).toMatchObject({ code: 'CONFLICT', clientMessageId });
    await sleep(100);
    expect(errors.items).toEqual([]);
    expect(socket.connected).toBe(true);
  });
});
