import { normalizeReactionEmoji, reactionStateSchema } from '@chat/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useSocket } from '../../../hooks/use-socket';
import { apiClient } from '../../../lib/api-client';
import { type ChatSocketService, SocketRequestError } from '../../../lib/socket';
import { reactionErrorMessage } from '../lib/reaction-errors';
import { applyReactionState, toggleReaction } from '../lib/reactions';
import { updateHeldMessage } from '../lib/timeline-store';
import { reactionsPath } from './use-reactors';

export interface ReactionToggle {
  messageId: string;
  emoji: string;
  /** Add (true) or take back (false). */
  on: boolean;
}

/** Over the socket; over HTTP when it is not connected (same answer either way). */
function sendReaction(socket: ChatSocketService, conversationId: string, { messageId, emoji, on }: ReactionToggle) {
  return socket.react({ conversationId, messageId, emoji }, on).catch((error: unknown) => {
    if (!(error instanceof SocketRequestError) || error.code !== 'NOT_CONNECTED') throw error;
    return apiClient.request(reactionsPath(conversationId, messageId, emoji), { method: on ? 'PUT' : 'DELETE', schema: reactionStateSchema });
  });
}

/**
 * Adds or takes back the viewer's reaction: shown at once, corrected by the answer, undone when
 * refused. Returns the toggle function and why the last one failed (null when it did not).
 */
export function useToggleReaction(conversationId: string) {
  const queryClient = useQueryClient();
  const socket = useSocket();
  const mutation = useMutation({
    mutationFn: (toggle: ReactionToggle) => sendReaction(socket, conversationId, toggle),
    onMutate: ({ messageId, emoji, on }) =>
      updateHeldMessage(queryClient, conversationId, messageId, (message) => toggleReaction(message, emoji, on), { once: true }),
    onSuccess: (state, { messageId }) => updateHeldMessage(queryClient, conversationId, messageId, (message) => applyReactionState(message, state)),
    onError: (_error, { messageId, emoji, on }) =>
      updateHeldMessage(queryClient, conversationId, messageId, (message) => toggleReaction(message, emoji, !on), { once: true }),
  });
  const { mutate } = mutation;
  const toggle = useCallback(
    // The picker's emoji in the server's spelling, so the optimistic pill is the one the server will name.
    (messageId: string, emoji: string, on: boolean) => mutate({ messageId, emoji: normalizeReactionEmoji(emoji) ?? emoji, on }),
    [mutate],
  );
  return { toggle, error: mutation.isError ? reactionErrorMessage(mutation.error) : null };
}
