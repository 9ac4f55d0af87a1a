import { Spinner } from './spinner';

/** Neutral placeholder while the session is restored, so neither the login page nor the app flashes. */
export function FullScreenLoader({ label = 'Loading' }: { label?: string }) {
  return (
    <div role="status" aria-live="polite" data-testid="app-loading" className="flex min-h-full items-center justify-center bg-slate-50">
      <Spinner className="size-6 text-slate-400" />
      <span className="sr-only">{label}</span>
    </div>
  );
}
