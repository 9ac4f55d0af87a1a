import { REACTION_DISTINCT_MAX } from '@chat/shared';
import { AppError } from '../../common/errors/app-error';
import { messageErrors } from '../messages/messages.errors';

export const reactionErrors = {
  messageNotFound: messageErrors.notFound,
  deleted: messageErrors.deleted,
  systemMessage: () => new AppError(403, 'SYSTEM_MESSAGE', 'A record of a change to the group cannot be reacted to'),
  rateLimited: (retryAfterSeconds: number) =>
    new AppError(429, 'RATE_LIMITED', 'Too many reaction changes; slow down', undefined, { 'Retry-After': String(retryAfterSeconds) }),
  tooMany: () => new AppError(409, 'TOO_MANY_REACTIONS', `A message can have at most ${REACTION_DISTINCT_MAX} different emoji; add to one of them instead`),
};
