import { cn } from '../../lib/cn';

export function Logo({ className, withWordmark = true }: { className?: string; withWordmark?: boolean }) {
  return (
    <span className={cn('inline-flex items-center gap-2 font-semibold tracking-tight text-slate-900', className)}>
      <span className="inline-flex size-8 items-center justify-center rounded-lg bg-indigo-600 text-white shadow-sm">
        <svg viewBox="0 0 24 24" className="size-5" fill="currentColor" aria-hidden="true">
          <path d="M4.5 6.75A2.75 2.75 0 0 1 7.25 4h9.5a2.75 2.75 0 0 1 2.75 2.75v6.5A2.75 2.75 0 0 1 16.75 16H11l-4.2 3.5a.5.5 0 0 1-.8-.4V16h-.25a1.25 1.25 0 0 1-1.25-1.25z" />
        </svg>
      </span>
      {withWordmark && <span className="text-lg">Chat</span>}
    </span>
  );
}
