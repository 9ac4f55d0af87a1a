import { cn } from '../../lib/cn';

const palette = ['bg-indigo-500', 'bg-emerald-500', 'bg-amber-500', 'bg-rose-500', 'bg-sky-500', 'bg-violet-500', 'bg-teal-500'];

export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0];
  const last = words.length > 1 ? words[words.length - 1] : undefined;
  // Array.from keeps emoji and other astral characters whole.
  const initials = [first, last].map((word) => (word ? (Array.from(word)[0] ?? '') : '')).join('');
  return initials.toUpperCase() || '?';
}

/** A stable colour per user so the same person is recognisable across the app. */
function colourFor(seed: string): string {
  let hash = 0;
  for (const char of seed) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return palette[Math.abs(hash) % palette.length] ?? 'bg-indigo-500';
}

const sizes = {
  xs: 'size-6 text-[0.625rem]',
  sm: 'size-8 text-xs',
  md: 'size-10 text-sm',
} as const;

export function Avatar({
  name,
  seed,
  size = 'sm',
  shape = 'circle',
  className,
}: {
  name: string;
  seed?: string;
  size?: keyof typeof sizes;
  /** Rounded squares mark groups, circles people. */
  shape?: 'circle' | 'square';
  className?: string;
}) {
  return (
    <span
      aria-hidden="true"
      className={cn(
        'inline-flex shrink-0 select-none items-center justify-center font-semibold text-white',
        sizes[size],
        shape === 'circle' ? 'rounded-full' : 'rounded-xl',
        colourFor(seed ?? name),
        className,
      )}
    >
      {initialsOf(name)}
    </span>
  );
}
