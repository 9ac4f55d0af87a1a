import type { ConversationNotifications, Message } from '@chat/shared';
import { describe, expect, it } from 'vitest';
import { isMuted, NO_PREVIEW_BODY, notificationContent, PREVIEW_MAX, shouldNotify } from './notification-policy';

const ME = '00000000-0000-4000-8000-00000000000b';
const ANN = '00000000-0000-4000-8000-00000000000a';
const NOW = Date.parse('2026-05-01T12:00:00.000Z');

type Incoming = Pick<Message, 'senderId' | 'contentType' | 'mentions' | 'threadRootId'>;
const message = (overrides: Partial<Incoming> = {}): Incoming => ({
  senderId: ANN,
  contentType: 'text',
  mentions: { userIds: [], everyone: false },
  threadRootId: null,
  ...overrides,
});
const level = (value: ConversationNotifications['level'], mutedUntil: string | null = null): ConversationNotifications => ({
  level: value,
  custom: false,
  mutedUntil,
});

describe('shouldNotify', () => {
  it('level all notifies of every message from someone else', () => {
    expect(shouldNotify(message(), level('all'), ME, NOW)).toBe(true);
  });

  it('a thread reply notifies at level all only a follower of the thread, or someone it names', () => {
    const reply = message({ threadRootId: ANN });
    expect(shouldNotify(reply, level('all'), ME, NOW)).toBe(false);
    expect(shouldNotify(reply, level('all'), ME, NOW, true)).toBe(true);
    expect(shouldNotify({ ...reply, mentions: { userIds: [ME], everyone: false } }, level('all'), ME, NOW)).toBe(true);
    expect(shouldNotify(reply, level('mentions'), ME, NOW, true)).toBe(false);
  });

  it('@everyone in a thread reply means the thread’s followers', () => {
    const everyone = message({ threadRootId: ANN, mentions: { userIds: [], everyone: true } });
    expect(shouldNotify(everyone, level('mentions'), ME, NOW)).toBe(false);
    expect(shouldNotify(everyone, level('mentions'), ME, NOW, true)).toBe(true);
    expect(shouldNotify(everyone, level('all'), ME, NOW)).toBe(false);
  });

  it('level mentions notifies only when the message names me or everyone', () => {
    expect(shouldNotify(message(), level('mentions'), ME, NOW)).toBe(false);
    expect(shouldNotify(message({ mentions: { userIds: [ANN], everyone: false } }), level('mentions'), ME, NOW)).toBe(false);
    expect(shouldNotify(message({ mentions: { userIds: [ME], everyone: false } }), level('mentions'), ME, NOW)).toBe(true);
    expect(shouldNotify(message({ mentions: { userIds: [], everyone: true } }), level('mentions'), ME, NOW)).toBe(true);
  });

  it('level none never notifies, not even of a mention', () => {
    expect(shouldNotify(message({ mentions: { userIds: [ME], everyone: true } }), level('none'), ME, NOW)).toBe(false);
  });

  it('a mute in the future silences everything; one that has run out does not', () => {
    const mentioned = message({ mentions: { userIds: [ME], everyone: false } });
    expect(shouldNotify(mentioned, level('all', '2026-05-01T13:00:00.000Z'), ME, NOW)).toBe(false);
    expect(shouldNotify(mentioned, level('all', '2026-05-01T11:00:00.000Z'), ME, NOW)).toBe(true);
  });

  it('my own messages and system messages never notify', () => {
    expect(shouldNotify(message({ senderId: ME }), level('all'), ME, NOW)).toBe(false);
    expect(shouldNotify(message({ contentType: 'system', mentions: { userIds: [ME], everyone: false } }), level('all'), ME, NOW)).toBe(false);
  });
});

describe('isMuted', () => {
  it('holds only while the end is ahead', () => {
    expect(isMuted({ mutedUntil: null }, NOW)).toBe(false);
    expect(isMuted({ mutedUntil: new Date(NOW + 1).toISOString() }, NOW)).toBe(true);
    expect(isMuted({ mutedUntil: new Date(NOW).toISOString() }, NOW)).toBe(false);
  });
});

describe('notificationContent', () => {
  const file = (name: string) => ({ id: ANN, name, size: 1, mimeType: 'text/plain', width: null, height: null, hasThumbnail: false });
  const from = (content: string, attachments: ReturnType<typeof file>[] = []) =>
    ({ sender: { id: ANN, displayName: 'Ann' }, content, attachments }) as unknown as Pick<Message, 'sender' | 'content' | 'attachments'>;

  it('names the sender, and the group in groups', () => {
    expect(notificationContent(from('hi'), { type: 'direct', title: null }, true)).toEqual({ title: 'Ann', body: 'hi' });
    expect(notificationContent(from('hi'), { type: 'group', title: 'Lunch' }, true)).toEqual({ title: 'Ann · Lunch', body: 'hi' });
  });

  it('cuts long text to the preview length without splitting an emoji', () => {
    const { body } = notificationContent(from(`${'a'.repeat(PREVIEW_MAX - 2)}😀😀😀`), { type: 'direct', title: null }, true);
    expect([...body]).toHaveLength(PREVIEW_MAX);
    expect(body.endsWith('😀…')).toBe(true);
  });

  it('names the file of a message without text', () => {
    expect(notificationContent(from('', [file('plan.pdf')]), { type: 'direct', title: null }, true).body).toBe('📎 plan.pdf');
    expect(notificationContent(from('  ', [file('a.png'), file('b.png')]), { type: 'direct', title: null }, true).body).toBe('📎 a.png (+1)');
  });

  it('shows no text when previews are off', () => {
    expect(notificationContent(from('secret'), { type: 'group', title: 'Lunch' }, false)).toEqual({ title: 'Ann · Lunch', body: NO_PREVIEW_BODY });
  });
});
