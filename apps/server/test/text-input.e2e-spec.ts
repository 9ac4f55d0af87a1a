import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bearer, createDirect, makeUser, registerUsers } from './support/builders';
import { emitWithAck } from './support/sockets';
import { useSocketSuite } from './support/socket-suite';

const LONE_HIGH = 'cut emoji \uD83D';
const LONE_LOW = '\uDC4D reversed';

/**
 * Text that UTF-8 cannot carry (a lone UTF-16 surrogate) is refused with VALIDATION_ERROR wherever
 * text is accepted, instead of being stored as U+FFFD; a whole pair (an emoji) is stored as sent.
 */
describe('text input', () => {
  const suite = useSocketSuite();
  const http = () => suite.app.http();

  it('refuses a message holding a lone surrogate over HTTP and over the socket, and stores nothing', async () => {
    const [ann, ben] = await registerUsers(suite.app, 2);
    const conversationId = (await createDirect(suite.app, ann, ben)).id;
    for (const content of [LONE_HIGH, LONE_LOW]) {
      const res = await http().post(`/api/conversations/${conversationId}/messages`).set(bearer(ann)).send({ content, clientMessageId: randomUUID() });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ path: 'content' }] });
    }
    const socket = await suite.open(ann);
    const ack = await emitWithAck(socket, 'message:send', { conversationId, content: LONE_HIGH, clientMessageId: randomUUID(), contentType: 'text' });
    expect(ack).toMatchObject({ ok: false, code: 'VALIDATION_ERROR' });
    expect((await http().get(`/api/conversations/${conversationId}/messages`).set(bearer(ann))).body.messages).toEqual([]);

    const whole = await emitWithAck(socket, 'message:send', {
      conversationId,
      content: 'thumbs \uD83D\uDC4D up',
      clientMessageId: randomUUID(),
      contentType: 'text',
    });
    expect(whole).toMatchObject({ ok: true, message: { content: 'thumbs 👍 up' } });
  });

  it('refuses a lone surrogate in a display name, email, password and group title', async () => {
    for (const field of ['displayName', 'email', 'password'] as const) {
      const input = makeUser();
      const res = await http()
        .post('/api/auth/register')
        .send({ ...input, [field]: field === 'email' ? `a\uD800b@example.com` : `${input[field]} ${LONE_LOW}` });
      expect(res.status, field).toBe(400);
      expect(res.body, field).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ path: field }] });
    }
    const [ann, ben] = await registerUsers(suite.app, 2);
    const rename = await http()
      .patch('/api/users/me')
      .set(bearer(ann))
      .send({ displayName: `Ann ${LONE_HIGH}` });
    expect(rename.status).toBe(400);
    const group = await http()
      .post('/api/conversations')
      .set(bearer(ann))
      .send({ type: 'group', title: `Team ${LONE_HIGH}`, participantIds: [ben.auth.user.id] });
    expect(group.status).toBe(400);
    expect(group.body).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ path: 'title' }] });
  });

  it('says a group needs someone else, not what a direct conversation is', async () => {
    const [ann] = await registerUsers(suite.app, 1);
    const empty = await http().post('/api/conversations').set(bearer(ann)).send({ type: 'group', title: 'Alone', participantIds: [] });
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ path: 'participantIds', message: 'List at least one other person' }] });
    // Only the caller listed: the schema passes it, the service refuses it in the same words.
    const onlyMe = await http()
      .post('/api/conversations')
      .set(bearer(ann))
      .send({ type: 'group', title: 'Alone', participantIds: [ann.auth.user.id] });
    expect(onlyMe.status).toBe(400);
    expect(onlyMe.body).toMatchObject({ code: 'VALIDATION_ERROR', message: 'A group needs at least one other person', details: [{ path: 'participantIds' }] });
  });
});
