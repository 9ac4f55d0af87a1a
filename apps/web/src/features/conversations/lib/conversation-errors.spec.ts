import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../lib/api-client';
import { conversationErrorMessage, groupNameMessage } from './conversation-errors';

describe('groupNameMessage', () => {
  it('rewords the shared schema messages for the "Group name" field', () => {
    expect(groupNameMessage('Title is required')).toBe('Give the group a name');
    expect(groupNameMessage('A group needs a title')).toBe('Give the group a name');
    expect(groupNameMessage('Title must be at most 100 characters')).toBe('Group name must be at most 100 characters');
    expect(groupNameMessage(undefined)).toBeUndefined();
  });
});

describe('conversationErrorMessage', () => {
  it('explains known refusals in plain words', () => {
    expect(conversationErrorMessage(new ApiError({ status: 400, code: 'UNKNOWN_USERS', message: 'Unknown user ids: x' }))).toMatch(/no longer have an account/);
    expect(conversationErrorMessage(new ApiError({ status: 403, code: 'NOT_OWNER', message: 'x' }))).toBe('Only the owner of this conversation can do that.');
    expect(conversationErrorMessage(new ApiError({ status: 404, code: 'CONVERSATION_NOT_FOUND', message: 'x' }))).toBe(
      'This conversation is no longer available.',
    );
  });

  it("passes other client errors through and hides server errors' details", () => {
    expect(conversationErrorMessage(new ApiError({ status: 400, code: 'USE_LEAVE', message: 'To remove yourself, leave the conversation' }))).toBe(
      'To remove yourself, leave the conversation',
    );
    expect(conversationErrorMessage(new ApiError({ status: 500, message: 'Internal Server Error' }))).toBe('Something went wrong. Please try again.');
    expect(conversationErrorMessage(new ApiError({ status: 0, code: 'NETWORK_ERROR', message: 'Could not reach the server' }))).toMatch(
      /Can't reach the server/,
    );
    expect(conversationErrorMessage(new Error('boom'))).toBe('Something went wrong. Please try again.');
  });
});
