export interface HighlightRange {
  start: number;
  end: number;
}

export interface TextSegment {
  text: string;
  highlighted: boolean;
}

const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;
const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** Moves an offset off the middle of a surrogate pair, so a mark never splits an emoji. */
function snap(text: string, offset: number, direction: -1 | 1): number {
  if (offset <= 0 || offset >= text.length) return offset;
  if (isLowSurrogate(text.charCodeAt(offset)) && isHighSurrogate(text.charCodeAt(offset - 1))) return offset + direction;
  return offset;
}

/**
 * Splits `text` into plain and highlighted runs from UTF-16 offsets. Ranges that are empty, not
 * integers, outside the text or overlapping one already taken are ignored (the server's answer is
 * trusted for content, not for arithmetic); an offset inside a surrogate pair widens to the whole
 * character.
 */
export function highlightSegments(text: string, ranges: readonly HighlightRange[]): TextSegment[] {
  const valid = ranges
    .filter(({ start, end }) => Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end <= text.length && start < end)
    .map(({ start, end }) => ({ start: snap(text, start, -1), end: snap(text, end, 1) }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const segments: TextSegment[] = [];
  let position = 0;
  for (const { start, end } of valid) {
    if (start < position) continue;
    if (start > position) segments.push({ text: text.slice(position, start), highlighted: false });
    segments.push({ text: text.slice(start, end), highlighted: true });
    position = end;
  }
  if (position < text.length || segments.length === 0) segments.push({ text: text.slice(position), highlighted: false });
  return segments;
}

/**
 * Drops the start of a long message so its first highlight shows within the clamped lines: the text
 * from a little before that highlight, with "…" in front and the ranges moved along.
 */
export function excerptAround(text: string, ranges: readonly HighlightRange[], lead = 40): { text: string; ranges: HighlightRange[] } {
  const first = Math.min(...ranges.filter(({ start, end }) => start >= 0 && start < end && end <= text.length).map(({ start }) => start));
  if (!Number.isFinite(first) || first <= lead * 2) return { text, ranges: [...ranges] };
  let cut = snap(text, first - lead, 1);
  const space = text.indexOf(' ', cut);
  if (space !== -1 && space < first) cut = space + 1;
  const prefix = '…';
  const shift = prefix.length - cut;
  return { text: prefix + text.slice(cut), ranges: ranges.map(({ start, end }) => ({ start: start + shift, end: end + shift })) };
}
