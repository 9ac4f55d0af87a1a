import type { ReactNode } from 'react';
import { cn } from '../../lib/cn';
import { ExclamationCircleIcon } from './icons';

export function Alert({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <div role="alert" className={cn('flex items-start gap-2.5 rounded-lg border border-red-200 bg-red-50 px-3.5 py-3 text-sm text-red-800', className)}>
      <ExclamationCircleIcon className="mt-0.5 size-4 shrink-0 text-red-500" />
      <div>{children}</div>
    </div>
  );
}
