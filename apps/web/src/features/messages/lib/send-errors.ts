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

/** Codes after which the same message may well go through later, unchanged. */
const TRANSIENT_CODES = new Set(['TIMEOUT', 'NOT_CONNECTED', 'NETWORK_ERROR', 'SERVICE_UNAVAILABLE', 'INTERNAL', 'AUTH_FAILED', 'TOKEN_EXPIRED']);

/**
 * transient     no connection, a timeout or a server hiccup: keep it queued and send it again
 * rate-limited  wait the time the server named, then send it again
 * permanent     the server refused this message (bad content, not a member any more…)
 */
export function sendErrorKind(error: unknown): 'transient' | 'rate-limited' | 'permanent' {
  if (error instanceof ApiError) {
    if (error.code === 'RATE_LIMITED' || error.status === 429) return 'rate-limited';
    if (error.status === 0 || error.status === 401 || error.status >= 500 || TRANSIENT_CODES.has(error.code ?? '')) return 'transient';
    return 'permanent';
  }
  if (error instanceof SocketRequestError) {
    if (error.code === 'RATE_LIMITED') return 'rate-limited';
    return TRANSIENT_CODES.has(error.code) ? 'transient' : 'permanent';
  }
  // Not an answer from the server (an abort, a bug): assume it may still go through.
  return 'transient';
}

/** Whole seconds left until `retryAt`, never below 0. */
export function secondsUntil(retryAt: number, now: number): number {
  return Math.max(0, Math.ceil((retryAt - now) / 1_000));
}
