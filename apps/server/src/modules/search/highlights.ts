import { randomBytes } from 'node:crypto';
import type { SearchHighlight } from '@chat/shared';

/** Markers for ts_headline, fresh per search so a message cannot contain them by accident. */
export function headlineMarkers(): { start: string; stop: string } {
  const nonce = randomBytes(8).toString('hex');
  return { start: `\u0002${nonce}[`, stop: `]${nonce}\u0003` };
}

/**
 * Offsets (UTF-16, end exclusive) of the marked words in `marked`, a copy of `content` with markers
 * around each match. If the copy, markers removed, is not `content` exactly, nothing is highlighted
 * rather than something wrong.
 */
export function markedRanges(content: string, marked: string, markers: { start: string; stop: string }): SearchHighlight[] {
  const ranges: SearchHighlight[] = [];
  let plain = '';
  let rest = marked;
  for (;;) {
    const open = rest.indexOf(markers.start);
    if (open < 0) break;
    const close = rest.indexOf(markers.stop, open + markers.start.length);
    if (close < 0) return [];
    plain += rest.slice(0, open);
    const word = rest.slice(open + markers.start.length, close);
    ranges.push({ start: plain.length, end: plain.length + word.length });
    plain += word;
    rest = rest.slice(close + markers.stop.length);
  }
  plain += rest;
  return plain === content ? ranges : [];
}

/** Sorted, with overlapping or touching ranges joined. */
export function mergeRanges(ranges: SearchHighlight[]): SearchHighlight[] {
  const sorted = [...ranges].filter((range) => range.end > range.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: SearchHighlight[] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}
