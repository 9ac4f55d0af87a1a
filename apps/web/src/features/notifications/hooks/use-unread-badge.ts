import type { Conversation } from '@chat/shared';
import { useEffect } from 'react';
import { BASE_TITLE, unreadTitle, unreadTotals } from '../lib/unread-title';

/** The app's icon with a red dot in its top right corner: the favicon while anything is unread. */
const BADGED_ICON = `data:image/svg+xml,${encodeURIComponent(
  "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'><rect width='32' height='32' rx='8' fill='#4f46e5'/><path d='M9 10.5A2.5 2.5 0 0 1 11.5 8h9a2.5 2.5 0 0 1 2.5 2.5v6a2.5 2.5 0 0 1-2.5 2.5H15l-4 3.5V19h.5A2.5 2.5 0 0 1 9 16.5z' fill='white'/><circle cx='25' cy='7' r='7' fill='#dc2626' stroke='white' stroke-width='2'/></svg>",
)}`;

/**
 * The tab's title ("(@2 · 5) Chat") and favicon (a dot) show what is unread in conversations that
 * are not muted, so a background tab tells at a glance. A mute running out shows on the next change.
 */
export function useUnreadBadge(conversations: readonly Conversation[] | undefined): void {
  const totals = unreadTotals(conversations ?? [], Date.now());
  const title = unreadTitle(totals);
  const badged = totals.unread > 0 || totals.mentions > 0;

  useEffect(() => {
    document.title = title;
    return () => {
      document.title = BASE_TITLE;
    };
  }, [title]);

  useEffect(() => {
    const link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
    if (!link || !badged) return;
    const plain = link.href;
    link.href = BADGED_ICON;
    return () => {
      link.href = plain;
    };
  }, [badged]);
}
