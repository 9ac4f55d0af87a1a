/** A message to open a conversation at (a search result, a link): shown, scrolled to and highlighted. */
export interface MessageFocus {
  id: string;
  /** Where it sits, so older history can load back to it; without it only a loaded message is found. */
  seq?: number;
  /** Changes on every navigation, so opening the same message again highlights it again. */
  key: string;
}

/** `/c/:id?message=<id>&seq=<seq>`: the one place the link's format is written. */
export function messageFocusLink(conversationId: string, message: { id: string; seq: number }): string {
  return `/c/${encodeURIComponent(conversationId)}?${new URLSearchParams({ message: message.id, seq: String(message.seq) })}`;
}

export function parseMessageFocus(params: URLSearchParams, key: string): MessageFocus | undefined {
  const id = params.get('message');
  if (!id) return undefined;
  const seq = Number(params.get('seq'));
  return { id, seq: Number.isSafeInteger(seq) && seq > 0 ? seq : undefined, key };
}
