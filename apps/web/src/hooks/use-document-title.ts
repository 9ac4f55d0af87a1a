import { useEffect } from 'react';

const BASE_TITLE = 'Chat';

/** "(3) Chat" while there are unread messages, so a background tab shows it. */
export function useUnreadTitle(unread: number): void {
  useEffect(() => {
    document.title = unread > 0 ? `(${unread > 999 ? '999+' : unread}) ${BASE_TITLE}` : BASE_TITLE;
    return () => {
      document.title = BASE_TITLE;
    };
  }, [unread]);
}
