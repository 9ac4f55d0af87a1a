import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../lib/api-client';
import { SocketRequestError } from '../../../lib/socket';
import { reactionErrorMessage } from './reaction-errors';

describe('reactionErrorMessage', () => {
  it('says the message is full when a 21st different emoji is refused, over the socket or HTTP', () => {
    const full = 'This message already has 20 different reactions';
    expect(reactionErrorMessage(new SocketRequestError('TOO_MANY_REACTIONS', 'A message can have at most 20 different emoji'))).toBe(full);
    expect(reactionErrorMessage(new ApiError({ status: 409, code: 'TOO_MANY_REACTIONS', message: 'A message can have at most 20 different emoji' }))).toBe(
      full,
    );
  });

  it('says to slow down when rate limited', () => {
    const slow = 'You’re reacting too fast — try again in a moment';
    expect(reactionErrorMessage(new SocketRequestError('RATE_LIMITED', 'Too many reaction changes; slow down', 3))).toBe(slow);
    expect(reactionErrorMessage(new ApiError({ status: 429, code: 'RATE_LIMITED', message: 'Too many reaction changes; slow down', retryAfter: 3 }))).toBe(
      slow,
    );
  });

  it('keeps the general words for anything else', () => {
    expect(reactionErrorMessage(new SocketRequestError('TIMEOUT', 'No answer'))).toBe('Couldn’t change the reaction.');
    expect(reactionErrorMessage(new ApiError({ status: 0, message: 'offline' }))).toBe('Couldn’t change the reaction.');
    expect(reactionErrorMessage(new Error('bug'))).toBe('Couldn’t change the reaction.');
  });
});
