/**
 * The small, safe formatting subset of a message: **bold**, _italic_ / *italic*, `code`,
 * ``` code blocks ```, "> " quotes and links (http, https, mailto). The result is a tree the UI
 * turns into React elements; nothing here produces HTML, so a message can never inject markup.
 *
 * Every step is linear in the length of the text: markers are paired with the next marker of their
 * kind (found through precomputed tables), never by searching again from each opener, so a text full
 * of unbalanced markers costs no more than a plain one.
 */

export type InlineNode =
  | { type: 'text'; text: string }
  | { type: 'bold'; children: InlineNode[] }
  | { type: 'italic'; children: InlineNode[] }
  | { type: 'code'; text: string }
  | { type: 'link'; href: string; text: string };

export type BlockNode = { type: 'paragraph'; children: InlineNode[] } | { type: 'quote'; children: InlineNode[] } | { type: 'codeBlock'; text: string };

/** Longer than this (in lines or characters) starts collapsed behind "Show more". */
export const COLLAPSE_LINES = 25;
export const COLLAPSE_CHARS = 1_500;

export function isLongMessage(text: string): boolean {
  if (text.length > COLLAPSE_CHARS) return true;
  let lines = 1;
  for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) === 10 && ++lines > COLLAPSE_LINES) return true;
  return false;
}

const FENCE = '```';

export function parseMessage(text: string): BlockNode[] {
  const lines = text.split('\n');
  const blocks: BlockNode[] = [];
  let paragraph: string[] = [];
  let quote: string[] = [];
  // Once a fence finds no closing line, no later fence can either.
  let closersLeft = true;

  const flushParagraph = () => {
    if (paragraph.length > 0) blocks.push({ type: 'paragraph', children: parseInline(paragraph.join('\n')) });
    paragraph = [];
  };
  const flushQuote = () => {
    if (quote.length > 0) blocks.push({ type: 'quote', children: parseInline(quote.join('\n')) });
    quote = [];
  };

  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] as string;
    if (closersLeft && line.startsWith(FENCE) && !isOneLineCode(line)) {
      let close = -1;
      for (let j = i + 1; j < lines.length; j += 1) {
        if ((lines[j] as string).trim() === FENCE) {
          close = j;
          break;
        }
      }
      if (close === -1) closersLeft = false;
      else {
        flushParagraph();
        flushQuote();
        blocks.push({ type: 'codeBlock', text: lines.slice(i + 1, close).join('\n') });
        i = close;
        continue;
      }
    }
    if (line === '>' || line.startsWith('> ')) {
      flushParagraph();
      quote.push(line.slice(2));
      continue;
    }
    flushQuote();
    paragraph.push(line);
  }
  flushParagraph();
  flushQuote();
  return blocks;
}

/** "```npm test```" on one line is inline code, not the start of a block. */
function isOneLineCode(line: string): boolean {
  const trimmed = line.trimEnd();
  return trimmed.length > 2 * FENCE.length && trimmed.endsWith(FENCE);
}

// ---- inline ----

interface Atom {
  start: number;
  end: number;
  node: InlineNode;
}

const URL_PATTERN = /(?<![\p{L}\p{N}])(?:https?:\/\/|mailto:)[^\s<>"]+/giu;
const TRAILING_PUNCTUATION = new Set([...".,;:!?'*_)]}"]);
const ALLOWED_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);
/** Stands in for code spans and links while looking for emphasis markers. */
const MASK = '\u0000';

export function parseInline(text: string): InlineNode[] {
  const atoms = findAtoms(text);
  let masked = '';
  let from = 0;
  for (const atom of atoms) {
    masked += text.slice(from, atom.start) + MASK.repeat(atom.end - atom.start);
    from = atom.end;
  }
  masked += text.slice(from);
  return new EmphasisParser(text, masked, atoms).parse(0, text.length, new Set());
}

/** Code spans and links: taken whole, so markers inside them are never formatting. */
function findAtoms(text: string): Atom[] {
  const atoms: Atom[] = [];
  for (const span of findCodeSpans(text)) atoms.push(span);
  const withLinks: Atom[] = [];
  let from = 0;
  for (const code of [...atoms, { start: text.length, end: text.length, node: { type: 'text', text: '' } as InlineNode }]) {
    for (const link of findLinks(text, from, code.start)) withLinks.push(link);
    if (code.end > code.start) withLinks.push(code);
    from = code.end;
  }
  return withLinks;
}

/** Backtick runs of length 1 or 3 pair with the next run of the same length. */
function findCodeSpans(text: string): Atom[] {
  const runs: { start: number; length: number }[] = [];
  for (let i = 0; i < text.length;) {
    if (text[i] !== '`') {
      i += 1;
      continue;
    }
    let j = i;
    while (text[j] === '`') j += 1;
    runs.push({ start: i, length: j - i });
    i = j;
  }
  // For each run, the index of the next run of the same length (filled from the end: linear).
  const nextSame = new Array<number>(runs.length).fill(-1);
  const lastOfLength = new Map<number, number>();
  for (let k = runs.length - 1; k >= 0; k -= 1) {
    const run = runs[k] as { start: number; length: number };
    nextSame[k] = lastOfLength.get(run.length) ?? -1;
    lastOfLength.set(run.length, k);
  }
  const spans: Atom[] = [];
  let after = -1;
  for (let k = 0; k < runs.length; k += 1) {
    const run = runs[k] as { start: number; length: number };
    if (run.start < after || (run.length !== 1 && run.length !== 3)) continue;
    const close = nextSame[k] as number;
    if (close === -1) continue;
    const closing = runs[close] as { start: number; length: number };
    const inner = text.slice(run.start + run.length, closing.start);
    if (inner.trim() === '') continue;
    const end = closing.start + closing.length;
    spans.push({ start: run.start, end, node: { type: 'code', text: run.length === 3 ? inner.trim() : inner } });
    after = end;
    k = close;
  }
  return spans;
}

function findLinks(text: string, from: number, to: number): Atom[] {
  const links: Atom[] = [];
  const slice = text.slice(from, to);
  for (const match of slice.matchAll(URL_PATTERN)) {
    const raw = trimTrailing(match[0]);
    const href = safeHref(raw);
    if (!href) continue;
    const start = from + (match.index ?? 0);
    links.push({ start, end: start + raw.length, node: { type: 'link', href, text: raw } });
  }
  return links;
}

/** A sentence's punctuation after a link is not part of it; a closing parenthesis is when the link opened one. */
function trimTrailing(raw: string): string {
  let opens = 0;
  let closes = 0;
  for (const char of raw) {
    if (char === '(') opens += 1;
    else if (char === ')') closes += 1;
  }
  let end = raw.length;
  while (end > 0 && TRAILING_PUNCTUATION.has(raw[end - 1] as string)) {
    if (raw[end - 1] === ')') {
      if (closes <= opens) break;
      closes -= 1;
    }
    end -= 1;
  }
  return raw.slice(0, end);
}

/** The normalised address when it is http(s) with a host, or mailto with an address; otherwise null. */
export function safeHref(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (!ALLOWED_PROTOCOLS.has(url.protocol)) return null;
  if (url.protocol === 'mailto:') return url.pathname.includes('@') ? url.href : null;
  return url.hostname ? url.href : null;
}

type Marker = 'bold' | 'star' | 'underscore';

class EmphasisParser {
  /** For each position, where the next marker of a kind starts (or -1). */
  private readonly next: Record<Marker, Int32Array>;
  private readonly markerAt: (Marker | null)[];

  constructor(
    private readonly text: string,
    private readonly masked: string,
    private readonly atoms: Atom[],
  ) {
    const length = masked.length;
    this.markerAt = new Array<Marker | null>(length).fill(null);
    for (let i = 0; i < length;) {
      if (masked[i] === '*' && masked[i + 1] === '*') {
        this.markerAt[i] = 'bold';
        i += 2;
      } else {
        if (masked[i] === '*') this.markerAt[i] = 'star';
        else if (masked[i] === '_') this.markerAt[i] = 'underscore';
        i += 1;
      }
    }
    this.next = { bold: new Int32Array(length + 1), star: new Int32Array(length + 1), underscore: new Int32Array(length + 1) };
    for (const kind of ['bold', 'star', 'underscore'] as const) {
      const table = this.next[kind];
      table[length] = -1;
      for (let i = length - 1; i >= 0; i -= 1) table[i] = this.markerAt[i] === kind ? i : (table[i + 1] as number);
    }
  }

  parse(start: number, end: number, open: ReadonlySet<Marker>): InlineNode[] {
    const nodes: InlineNode[] = [];
    let textFrom = start;
    let i = start;
    while (i < end) {
      const kind = this.markerAt[i];
      if (!kind) {
        i += 1;
        continue;
      }
      const width = kind === 'bold' ? 2 : 1;
      const close = open.has(kind) ? -1 : this.closerFor(kind, i, width, end);
      if (close === -1) {
        i += width;
        continue;
      }
      this.pushText(nodes, textFrom, i);
      const inner = new Set(open).add(kind);
      nodes.push({ type: kind === 'bold' ? 'bold' : 'italic', children: this.parse(i + width, close, inner) });
      i = close + width;
      textFrom = i;
    }
    this.pushText(nodes, textFrom, end);
    return nodes;
  }

  /** The next marker of the same kind closes, if both hug their content; otherwise the opener is plain text. */
  private closerFor(kind: Marker, at: number, width: number, end: number): number {
    const masked = this.masked;
    const first = masked[at + width];
    if (first === undefined || isSpace(first)) return -1;
    if (kind === 'underscore' && at > 0 && isWordChar(masked[at - 1] as string)) return -1;
    const close = this.next[kind][at + width] as number;
    if (close === -1 || close + width > end || close === at + width) return -1;
    if (isSpace(masked[close - 1] as string)) return -1;
    if (kind === 'underscore') {
      const after = masked[close + 1];
      if (after !== undefined && isWordChar(after)) return -1;
    }
    return close;
  }

  /** Plain text between markers, with the code spans and links that fall inside it. */
  private pushText(nodes: InlineNode[], start: number, end: number): void {
    let from = start;
    for (const atom of this.atomsWithin(start, end)) {
      if (atom.start > from) appendText(nodes, this.text.slice(from, atom.start));
      nodes.push(atom.node);
      from = atom.end;
    }
    if (end > from) appendText(nodes, this.text.slice(from, end));
  }

  private atomsWithin(start: number, end: number): Atom[] {
    // Binary search for the first atom at or after start: text runs are visited left to right once.
    let low = 0;
    let high = this.atoms.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((this.atoms[mid] as Atom).start < start) low = mid + 1;
      else high = mid;
    }
    const found: Atom[] = [];
    for (let k = low; k < this.atoms.length && (this.atoms[k] as Atom).end <= end; k += 1) found.push(this.atoms[k] as Atom);
    return found;
  }
}

function appendText(nodes: InlineNode[], text: string): void {
  const last = nodes.at(-1);
  if (last?.type === 'text') last.text += text;
  else nodes.push({ type: 'text', text });
}

function isSpace(char: string): boolean {
  return /\s/u.test(char);
}

function isWordChar(char: string): boolean {
  return /[\p{L}\p{N}]/u.test(char) || char === MASK;
}

/** The words of a message without its formatting markers, for one-line previews ("**lint** passed" reads "lint passed"). */
export function plainText(text: string): string {
  return parseMessage(text)
    .map((block) => (block.type === 'codeBlock' ? block.text : inlineText(block.children)))
    .join(' ');
}

function inlineText(nodes: readonly InlineNode[]): string {
  return nodes.map((node) => ('children' in node ? inlineText(node.children) : node.text)).join('');
}
