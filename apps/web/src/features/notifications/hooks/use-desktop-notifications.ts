import type { Message } from '@chat/shared';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useNavigate } from 'react-router';
import { useSocket } from '../../../hooks/use-socket';
import { cachedConversation, refreshConversationList } from '../../conversations';
import { messageFocusLink } from '../../messages';
import { followsThread } from '../../threads';
import { desktopNotificationsEnabled } from '../lib/device-preferences';
import { notificationContent, shouldNotify } from '../lib/notification-policy';

export const NOTIFICATION_ICON = '/icon-192.png';

const canNotify = () =>
  typeof Notification !== 'undefined' && Notification.permission === 'granted' && document.visibilityState === 'hidden' && desktopNotificationsEnabled();

/**
 * A desktop notification for a message that notifies the user (the server's policy, with the
 * conversation's level and mute from the list) while this tab is hidden and the user turned them
 * on for this browser. The tag is the conversation, so hidden tabs and a later push replace one
 * notification instead of stacking. Mounted once in the signed-in shell.
 */
export function useDesktopNotifications({ currentUserId, pushPreview }: { currentUserId: string | undefined; pushPreview: boolean }): void {
  const socket = useSocket();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const previewRef = useRef(pushPreview);
  useEffect(() => {
    previewRef.current = pushPreview;
  });

  useEffect(() => {
    if (!currentUserId) return;
    const notify = async (message: Message) => {
      if (message.senderId === currentUserId || !canNotify()) return;
      // A conversation the list does not hold yet (a new chat) is fetched: its level decides.
      if (!cachedConversation(queryClient, message.conversationId)) await refreshConversationList(queryClient);
      const conversation = cachedConversation(queryClient, message.conversationId);
      if (!conversation) return;
      // A reply notifies at level all only a follower: the followed threads, asked now (the reply may have made this user one).
      const following = message.threadRootId !== null && (await followsThread(queryClient, message.threadRootId));
      if (!shouldNotify(message, conversation.notifications, currentUserId, Date.now(), following) || !canNotify()) return;
      const { title, body } = notificationContent(message, conversation, previewRef.current);
      const notification = new Notification(title, { body, tag: message.conversationId, icon: NOTIFICATION_ICON });
      notification.onclick = () => {
        window.focus();
        notification.close();
        void navigate(messageFocusLink(message.conversationId, message));
      };
    };
    return socket.onMessageReceived(({ message }) => void notify(message).catch(() => undefined));
  }, [socket, queryClient, navigate, currentUserId]);
}
