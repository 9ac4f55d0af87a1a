import { useEffect, useState } from 'react';
import type { ChatMessage } from '../lib/message-cache';
import { secondsUntil } from '../lib/send-errors';

export interface UnsentMessageNoticeProps {
  message: ChatMessage;
  onRetry?: (message: ChatMessage) => void;
  onDiscard?: (message: ChatMessage) => void;
}

/** Whole seconds left until `retryAt`, ticking every second; null without one. */
function useCountdown(retryAt: number | undefined): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (retryAt === undefined) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [retryAt]);
  return retryAt === undefined ? null : secondsUntil(retryAt, now);
}

/**
 * Under a failed message: why, and what can be done. A rate-limited one counts down to the
 * moment it is sent again by itself.
 */
export function UnsentMessageNotice({ message, onRetry, onDiscard }: UnsentMessageNoticeProps) {
  const failure = message.failure;
  const left = useCountdown(failure?.code === 'RATE_LIMITED' ? failure.retryAt : undefined);
  const reason = left !== null ? (left > 0 ? `You're sending too fast. Try again in ${left} s.` : 'Sending again…') : (failure?.message ?? 'Not sent.');

  return (
    <div className="mt-1 flex flex-wrap items-center justify-end gap-x-3 gap-y-1 px-1 text-xs text-red-800">
      <p role="status">{reason}</p>
      {onRetry && <NoticeAction label="Retry" onClick={() => onRetry(message)} />}
      {onDiscard && <NoticeAction label="Delete" onClick={() => onDiscard(message)} />}
    </div>
  );
}

function NoticeAction({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <button
      type="button"
      onClick={onClick}
      className="rounded font-semibold text-red-800 underline hover:text-red-950 focus-visible:outline-2 focus-visible:outline-red-700"
    >
      {label}
    </button>
  );
}
