import { type Message, PUSH_BODY_MAX, PUSH_PAYLOAD_MAX_BYTES, type PushPayload } from '@chat/shared';

export const NO_PREVIEW_BODY = 'New message';
const TITLE_MAX = 120;

/** Cuts text to `max` characters (code points, so an emoji is never split), marking the cut. */
function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

function bodyOf(message: Message): string {
  const text = message.content.trim();
  if (text) return cut(text, PUSH_BODY_MAX);
  const [first, ...more] = message.attachments;
  if (!first) return NO_PREVIEW_BODY;
  return cut(`📎 ${first.name}${more.length > 0 ? ` (+${more.length})` : ''}`, PUSH_BODY_MAX);
}

/**
 * The JSON a device's service worker receives for a new message, at most PUSH_PAYLOAD_MAX_BYTES:
 * the sender (and the group, in groups), a preview of the text unless `preview` is off, and where
 * a click leads. Mentions stay as typed ("@Ann"): the text is what people wrote.
 */
export function buildPushPayload(message: Message, conversation: { type: 'direct' | 'group'; title: string | null }, preview: boolean): string {
  const sender = message.sender.displayName;
  const title = conversation.type === 'group' && conversation.title ? `${sender} · ${conversation.title}` : sender;
  const payload: PushPayload = {
    v: 1,
    conversationId: message.conversationId,
    messageId: message.id,
    seq: message.seq,
    title: cut(title, TITLE_MAX),
    body: preview ? bodyOf(message) : NO_PREVIEW_BODY,
    url: `/c/${message.conversationId}?message=${message.id}&seq=${message.seq}`,
    tag: message.conversationId,
  };
  let json = JSON.stringify(payload);
  // Escaped and multi-byte characters can make the JSON longer than the characters counted; the
  // body gives way (halved, then dropped) until it fits.
  while (Buffer.byteLength(json) > PUSH_PAYLOAD_MAX_BYTES && payload.body !== undefined) {
    const length = [...payload.body].length;
    payload.body = length > 2 ? cut(payload.body, Math.floor(length / 2)) : undefined;
    json = JSON.stringify(payload);
  }
  return json;
}
