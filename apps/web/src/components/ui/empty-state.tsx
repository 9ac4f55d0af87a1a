import type { ReactNode } from 'react';
import { cn } from '../../lib/cn';
import { Button } from './button';
import { ArrowPathIcon } from './icons';

const badges = {
  neutral: 'size-14 rounded-2xl bg-white text-slate-400 shadow-sm ring-1 ring-slate-200',
  brand: 'size-14 rounded-2xl bg-indigo-50 text-indigo-600 ring-1 ring-indigo-100',
  soft: 'size-12 rounded-full bg-indigo-50 text-indigo-500',
};

export interface EmptyStateProps {
  /** Shown in a badge above the title. */
  icon?: ReactNode;
  badge?: keyof typeof badges;
  title: ReactNode;
  /** The title's element: a heading where the state is a page's own content. */
  titleAs?: 'h2' | 'h3' | 'p';
  titleClassName?: string;
  description?: ReactNode;
  descriptionClassName?: string;
  role?: 'alert';
  className?: string;
  /** Actions below the text. */
  children?: ReactNode;
}

/** A centred message where content would be: nothing here yet, not available, failed to load. */
export function EmptyState({
  icon,
  badge = 'neutral',
  title,
  titleAs: Title = 'h2',
  titleClassName = Title === 'p' ? 'text-sm font-semibold text-slate-900' : 'text-base font-semibold text-slate-900',
  description,
  descriptionClassName = 'max-w-sm text-slate-500',
  role,
  className = 'px-6 py-12',
  children,
}: EmptyStateProps) {
  return (
    <div role={role} className={cn('flex flex-1 flex-col items-center justify-center text-center', className)}>
      {icon && <span className={cn('mb-4 inline-flex items-center justify-center', badges[badge])}>{icon}</span>}
      <Title className={titleClassName}>{title}</Title>
      {description !== undefined && <p className={cn('mt-1 text-sm', descriptionClassName)}>{description}</p>}
      {children}
    </div>
  );
}

/** A failed load where its content would be, with the error and a Retry. */
export function LoadError({
  error,
  onRetry,
  isRetrying,
  buttonClassName = 'mt-4',
  ...rest
}: Omit<EmptyStateProps, 'description' | 'role' | 'children'> & { error: string; onRetry: () => void; isRetrying: boolean; buttonClassName?: string }) {
  return (
    <EmptyState role="alert" description={error} {...rest}>
      <Button variant="secondary" className={buttonClassName} onClick={onRetry} isLoading={isRetrying}>
        {!isRetrying && <ArrowPathIcon className="size-4" />}
        Retry
      </Button>
    </EmptyState>
  );
}
