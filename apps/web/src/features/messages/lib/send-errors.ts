import { ApiError } from '../../../lib/api-client';
import { SocketRequestError } from '../../../lib/socket';
import type { SendFailure } from './message-cache';

/** Why a send failed, in words for the bubble; RATE_LIMITED says how long to wait. */
export function toSendFailure(error: unknown): SendFailure {
  if (error instanceof SocketRequestError || error instanceof ApiError) {
    const code = error.code ?? 'UNKNOWN';
    if (code === 'RATE_LIMITED') {
      const wait = error.retryAfter;
      return { code, retryAfter: wait, message: wait ? `You're sending too fast. Try again in ${wait} s.` : "You're sending too fast. Try again in a moment." };
    }
    if (code === 'TIMEOUT' || code === 'NOT_CONNECTED' || code === 'NETWORK_ERROR') return { code, message: 'Not sent: no connection.' };
    if (code === 'NOT_IN_CONVERSATION' || code === 'CONVERSATION_NOT_FOUND') return { code, message: "Not sent: you're no longer in this conversation." };
    return { code, message: 'Not sent.' };
  }
  return { code: 'UNKNOWN', message: 'Not sent.' };
}
