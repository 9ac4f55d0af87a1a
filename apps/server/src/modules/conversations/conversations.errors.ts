import type { ErrorDetail } from '@chat/shared';
import { AppError } from '../../common/errors/app-error';

export const conversationErrors = {
  notFound: () => new AppError(404, 'CONVERSATION_NOT_FOUND', 'Conversation not found'),
  notParticipant: () => new AppError(403, 'NOT_IN_CONVERSATION', 'You are not a participant of this conversation'),
  directCannotBeDeleted: () => new AppError(403, 'DIRECT_NOT_DELETABLE', 'Direct conversations cannot be deleted; leave it instead'),
  notOwner: () => new AppError(403, 'NOT_OWNER', 'Only the owner of this conversation can do that'),
  cannotJoin: () => new AppError(403, 'JOIN_NOT_ALLOWED', 'This conversation is invite-only'),
  directOnlyTwo: () =>
    new AppError(400, 'VALIDATION_ERROR', 'A direct conversation is between you and exactly one other person', [
      { path: 'participantIds', message: 'List exactly one other person' },
    ]),
  groupNeedsMembers: () =>
    new AppError(400, 'VALIDATION_ERROR', 'A group needs at least one other person', [{ path: 'participantIds', message: 'Add at least one other person' }]),
  notAGroup: () => new AppError(400, 'NOT_A_GROUP', 'Only group conversations can be changed this way'),
  unknownUsers: (ids: string[]) =>
    new AppError(
      400,
      'UNKNOWN_USERS',
      `Unknown user ids: ${ids.join(', ')}`,
      ids.map((id): ErrorDetail => ({ path: 'participantIds', message: `Unknown user: ${id}` })),
    ),
  tooManyParticipants: (max: number) => new AppError(400, 'TOO_MANY_PARTICIPANTS', `A group has at most ${max} participants`),
  removeSelf: () => new AppError(400, 'USE_LEAVE', 'To remove yourself, leave the conversation'),
  participantNotFound: () => new AppError(404, 'PARTICIPANT_NOT_FOUND', 'That user is not a participant'),
};
