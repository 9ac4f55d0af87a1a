import { ApiError } from '../../../lib/api-client';
import { genericErrorMessage } from '../../../lib/form-errors';

/** The shared schema says "Title"; the form calls the field "Group name". */
export function groupNameMessage(message: string | undefined): string | undefined {
  return message?.replace(/^(A group needs a title|Title is required)$/, 'Give the group a name').replace(/^Title\b/, 'Group name');
}

/**
 * A sentence for a failed conversation action. The server's own message is shown for the
 * expected refusals (it is written for people); anything else gets the generic wording.
 */
export function conversationErrorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return genericErrorMessage(error);
  switch (error.code) {
    case 'UNKNOWN_USERS':
      return 'Some of the people you picked no longer have an account. Remove them and try again.';
    case 'NOT_OWNER':
      return 'Only the owner of this conversation can do that.';
    case 'NOT_IN_CONVERSATION':
    case 'CONVERSATION_NOT_FOUND':
      return 'This conversation is no longer available.';
    case 'TOO_MANY_PARTICIPANTS':
      return error.message;
    default:
      if (error.status >= 400 && error.status < 500 && error.status !== 429 && error.message) return error.message;
      return genericErrorMessage(error);
  }
}
