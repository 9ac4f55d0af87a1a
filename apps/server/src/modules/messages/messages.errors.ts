import { EVERYONE_MENTION_OPEN_MAX, MESSAGE_EDIT_WINDOW_HOURS } from '@chat/shared';
import type { MentionRefusal } from './mention-rules';
import { AppError } from '../../common/errors/app-error';

export const messageErrors = {
  notFound: () => new AppError(404, 'MESSAGE_NOT_FOUND', 'Message not found'),
  notOwner: () => new AppError(403, 'NOT_MESSAGE_OWNER', 'You can only change your own messages'),
  systemMessage: () => new AppError(403, 'SYSTEM_MESSAGE', 'A record of a change to the group cannot be edited or deleted'),
  deleted: () => new AppError(404, 'MESSAGE_NOT_FOUND', 'This message was deleted'),
  editWindowPassed: () => new AppError(403, 'EDIT_WINDOW_PASSED', `Messages can be edited for ${MESSAGE_EDIT_WINDOW_HOURS} hours after sending`),
  emptyEdit: () =>
    new AppError(400, 'VALIDATION_ERROR', 'Message cannot be empty', [{ path: 'content', message: 'Only a message with files may have empty text' }]),
  clientIdReused: () => new AppError(409, 'CLIENT_MESSAGE_ID_REUSED', 'This clientMessageId was already used for a message in another conversation'),
  // One answer for someone else's file, a taken one and an unknown id: it tells nothing about files that are not yours.
  attachmentUnavailable: () =>
    new AppError(400, 'VALIDATION_ERROR', 'An attachment is not a file you uploaded, or it is already attached to a message', [
      { path: 'attachmentIds', message: 'Each file must be one you uploaded and not yet attached to a message' },
    ]),
  mentionNotMember: () =>
    new AppError(400, 'VALIDATION_ERROR', 'Only current members of the conversation can be mentioned', [
      { path: 'mentions.userIds', message: 'Only current members of the conversation can be mentioned' },
    ]),
  everyoneInDirect: () =>
    new AppError(400, 'VALIDATION_ERROR', 'Everyone can be mentioned only in groups', [
      { path: 'mentions.everyone', message: 'Everyone can be mentioned only in groups' },
    ]),
  everyoneForbidden: () =>
    new AppError(403, 'EVERYONE_MENTION_FORBIDDEN', `Only owners can mention everyone in groups of more than ${EVERYONE_MENTION_OPEN_MAX} people`),
  rateLimited: (retryAfterSeconds: number) =>
    new AppError(429, 'RATE_LIMITED', 'Too many messages; slow down', undefined, { 'Retry-After': String(retryAfterSeconds) }),
};

export const threadErrors = {
  invalidRoot: () =>
    new AppError(400, 'VALIDATION_ERROR', 'A reply must answer a live message of this conversation that is not itself a reply', [
      { path: 'threadRootId', message: 'The thread root must be a live message of this conversation that is not a reply' },
    ]),
  notARoot: () => new AppError(404, 'MESSAGE_NOT_FOUND', 'No such thread in this conversation'),
};

export const mentionErrors: Record<MentionRefusal, () => AppError> = {
  'not-members': messageErrors.mentionNotMember,
  'everyone-in-direct': messageErrors.everyoneInDirect,
  'everyone-forbidden': messageErrors.everyoneForbidden,
};
