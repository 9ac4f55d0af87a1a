import { typingLabel } from '../hooks/use-typing';

/** "Alice is typing…" under the timeline; announced politely to screen readers. */
export function TypingIndicator({ names }: { names: string[] }) {
  const label = typingLabel(names);
  return (
    <div aria-live="polite" className="h-6 px-1 pt-1.5">
      {label && (
        <p className="flex items-center gap-2 text-xs text-slate-500">
          <span aria-hidden="true" className="inline-flex gap-0.5">
            {[0, 150, 300].map((delay) => (
              <span key={delay} className="size-1.5 rounded-full bg-slate-400 motion-safe:animate-bounce" style={{ animationDelay: `${delay}ms` }} />
            ))}
          </span>
          {label}
        </p>
      )}
    </div>
  );
}
