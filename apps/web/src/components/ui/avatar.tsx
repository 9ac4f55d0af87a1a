import { cn } from '../../lib/cn';

// Shades dark enough for white initials to stay readable (4.5:1).
const palette = ['bg-indigo-600', 'bg-emerald-700', 'bg-amber-700', 'bg-rose-700', 'bg-sky-700', 'bg-violet-600', 'bg-teal-700'];

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
  return palette[Math.abs(hash) % palette.length] ?? 'bg-indigo-600';
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
