import type { ReactNode } from 'react';
import { Logo } from '../components/ui/logo';

/** Full-page message for 404s and unexpected errors. */
export function StatusPage({ title, message, action }: { title: string; message: string; action: ReactNode }) {
  return (
    <main className="flex min-h-full flex-col items-center justify-center bg-slate-50 px-6 py-12 text-center">
      <Logo withWordmark={false} className="mb-6" />
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
      <p className="mt-2 max-w-md text-sm text-slate-600">{message}</p>
      <div className="mt-6">{action}</div>
    </main>
  );
}
