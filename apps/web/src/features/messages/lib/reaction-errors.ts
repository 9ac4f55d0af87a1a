import { REACTION_DISTINCT_MAX } from '@chat/shared';
import { ApiError } from '../../../lib/api-client';
import { SocketRequestError } from '../../../lib/socket';

/** Why a reaction change was refused, in words under the bubble (same answer over the socket or HTTP). */
export function reactionErrorMessage(error: unknown): string {
  const code = error instanceof SocketRequestError || error instanceof ApiError ? error.code : undefined;
  const status = error instanceof ApiError ? error.status : undefined;
  if (code === 'TOO_MANY_REACTIONS') return `This message already has ${REACTION_DISTINCT_MAX} different reactions`;
  if (code === 'RATE_LIMITED' || status === 429) return 'You’re reacting too fast — try again in a moment';
  return 'Couldn’t change the reaction.';
}
