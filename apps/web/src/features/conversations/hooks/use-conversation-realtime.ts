import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useNavigate } from 'react-router';
import { useSocket } from '../../../hooks/use-socket';
import {
  applyReadToList,
  forgetConversation,
  recordParticipantRead,
  refreshAllConversations,
  refreshConversation,
  storeNotifications,
} from '../lib/conversation-store';
import { removalNoticeText, showRemovalNotice } from '../lib/removal-notice';

/**
 * Wires the socket's conversation events into the sidebar list and the conversation details for the
 * whole signed-in app. Mounted once in the shell; message events are the messages feature's.
 */
export function useConversationRealtime({ currentUserId, openConversationId }: { currentUserId: string | undefined; openConversationId: string | undefined }) {
  const queryClient = useQueryClient();
  const socket = useSocket();
  const navigate = useNavigate();
  const openRef = useRef(openConversationId);
  useEffect(() => {
    openRef.current = openConversationId;
  });

  useEffect(() => {
    const offs = [
      socket.on('conversation:changed', ({ conversationId, kind }) => {
        // Make sure this socket is in the room of a conversation it was just added to.
        if (kind !== 'updated') void socket.subscribe(conversationId).catch(() => undefined);
        refreshConversation(queryClient, conversationId);
      }),
      socket.on('conversation:removed', (event) => {
        const { conversationId } = event;
        // Someone else took it away: say who, rather than the group silently vanishing.
        const notice = removalNoticeText(event, currentUserId);
        if (notice) showRemovalNotice(queryClient, { conversationId, text: notice });
        if (openRef.current === conversationId) void navigate('/', { replace: true });
        void forgetConversation(queryClient, conversationId);
      }),
      socket.on('conversation:read', (read) => applyReadToList(queryClient, read.conversationId, read)),
      socket.on('conversation:notifications', ({ conversationId, notifications }) => storeNotifications(queryClient, conversationId, notifications)),
      socket.on('receipt:updated', ({ conversationId, userId, seq }) => recordParticipantRead(queryClient, conversationId, userId, seq)),
      // Unread counts, previews and read markers may all have moved while we were away (or asleep,
      // with events possibly lost): nothing polls these, so fetch them again.
      socket.onResync(() => refreshAllConversations(queryClient)),
    ];
    return () => {
      for (const off of offs) off();
    };
  }, [socket, queryClient, navigate, currentUserId]);
}
