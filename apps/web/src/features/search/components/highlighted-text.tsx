import { useMemo } from 'react';
import { excerptAround, type HighlightRange, highlightSegments } from '../lib/highlight';

/** Text with the matched ranges in <mark>; built as elements, so the content is never parsed as HTML. */
export function HighlightedText({ text, ranges, className }: { text: string; ranges: readonly HighlightRange[]; className?: string }) {
  const segments = useMemo(() => {
    const excerpt = excerptAround(text, ranges);
    return highlightSegments(excerpt.text, excerpt.ranges);
  }, [text, ranges]);
  return (
    <span className={className}>
      {segments.map((segment, index) =>
        segment.highlighted ? (
          <mark key={index} className="rounded-sm bg-amber-200 px-0.5 text-slate-900">
            {segment.text}
          </mark>
        ) : (
          <span key={index}>{segment.text}</span>
        ),
      )}
    </span>
  );
}
