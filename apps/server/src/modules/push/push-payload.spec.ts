import { randomUUID } from 'node:crypto';
import { type Message, PUSH_BODY_MAX, PUSH_PAYLOAD_MAX_BYTES, pushPayloadSchema } from '@chat/shared';
import { describe, expect, it } from 'vitest';
import { buildPushPayload, NO_PREVIEW_BODY } from './push-payload';

const conversationId = randomUUID();
const direct = { type: 'direct' as const, title: null };
const group = { type: 'group' as const, title: 'Team' };

function makeMessage(overrides: Partial<Message> = {}): Message {
  const senderId = randomUUID();
  return {
    id: randomUUID(),
    conversationId,
    seq: 7,
    senderId,
    sender: { id: senderId, displayName: 'Ann' },
    content: 'hello @Ben',
    contentType: 'text',
    system: null,
    clientMessageId: randomUUID(),
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    editedAt: null,
    deletedAt: null,
    attachments: [],
    mentions: { userIds: [], everyone: false },
    reactions: [],
    reactionsVersion: 0,
    threadRootId: null,
    thread: null,
    ...overrides,
  };
}

const parse = (json: string) => pushPayloadSchema.parse(JSON.parse(json));
const file = (name: string) => ({ id: randomUUID(), name, size: 10, mimeType: 'application/pdf' });

describe('buildPushPayload', () => {
  it('names the sender, shows the text as typed and leads to the message', () => {
    const message = makeMessage();
    expect(parse(buildPushPayload(message, direct, true))).toEqual({
      v: 1,
      conversationId,
      messageId: message.id,
      seq: 7,
      title: 'Ann',
      body: 'hello @Ben',
      url: `/c/${conversationId}?message=${message.id}&seq=7`,
      tag: conversationId,
    });
  });

  it('adds the group title in groups', () => {
    expect(parse(buildPushPayload(makeMessage(), group, true)).title).toBe('Ann · Team');
  });

  it('leaves the text out when previews are off', () => {
    const json = buildPushPayload(makeMessage({ content: 'the secret plan' }), direct, false);
    expect(parse(json).body).toBe(NO_PREVIEW_BODY);
    expect(json).not.toContain('secret');
  });

  it('shows files by name when there is no text', () => {
    expect(parse(buildPushPayload(makeMessage({ content: '', attachments: [file('report.pdf')] }), direct, true)).body).toBe('📎 report.pdf');
    expect(parse(buildPushPayload(makeMessage({ content: '', attachments: [file('a.png'), file('b.png'), file('c.png')] }), direct, true)).body).toBe(
      '📎 a.png (+2)',
    );
  });

  it('cuts long text to the preview length without splitting a character', () => {
    const body = parse(buildPushPayload(makeMessage({ content: '😀'.repeat(4000) }), direct, true)).body!;
    expect([...body]).toHaveLength(PUSH_BODY_MAX);
    expect(body.endsWith('😀…')).toBe(true);
  });

  it('stays within the payload limit for the longest text that escapes worst', () => {
    const worst = '\u0001"\\'.repeat(1400);
    const json = buildPushPayload(
      makeMessage({ content: worst, sender: { id: randomUUID(), displayName: '\u0002'.repeat(200) } }),
      { type: 'group', title: '"'.repeat(200) },
      true,
    );
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(PUSH_PAYLOAD_MAX_BYTES);
    expect(parse(json).body!.length).toBeGreaterThan(0);
  });
});
