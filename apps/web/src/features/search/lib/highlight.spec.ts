import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { HighlightedText } from '../components/highlighted-text';
import { excerptAround, highlightSegments } from './highlight';

const marked = (text: string, ranges: { start: number; end: number }[]) =>
  highlightSegments(text, ranges)
    .map((segment) => (segment.highlighted ? `[${segment.text}]` : segment.text))
    .join('');

describe('highlightSegments', () => {
  it('marks each range and keeps the text between them', () => {
    expect(
      marked('lunch at noon, then lunch again', [
        { start: 0, end: 5 },
        { start: 20, end: 25 },
      ]),
    ).toBe('[lunch] at noon, then [lunch] again');
  });

  it('takes ranges in any order', () => {
    expect(
      marked('one two three', [
        { start: 8, end: 13 },
        { start: 0, end: 3 },
      ]),
    ).toBe('[one] two [three]');
  });

  it('ignores a range overlapping one already taken, and empty, reversed, negative, fractional or out-of-range ones', () => {
    const text = 'search results';
    expect(
      marked(text, [
        { start: 0, end: 6 },
        { start: 3, end: 9 },
        { start: 7, end: 7 },
        { start: 10, end: 8 },
        { start: -1, end: 2 },
        { start: 7, end: 99 },
        { start: 7.5, end: 9 },
      ]),
    ).toBe('[search] results');
  });

  it('returns the whole text unmarked without ranges, and one empty run for empty text', () => {
    expect(highlightSegments('plain', [])).toEqual([{ text: 'plain', highlighted: false }]);
    expect(highlightSegments('', [{ start: 0, end: 1 }])).toEqual([{ text: '', highlighted: false }]);
  });

  it('counts UTF-16 units and widens a range that would split a surrogate pair to the whole character', () => {
    const text = 'a 😀 party 😀';
    // 'party' starts after 'a ', the emoji (2 units) and a space.
    expect(marked(text, [{ start: 5, end: 10 }])).toBe('a 😀 [party] 😀');
    // Starting inside the first emoji's pair, ending inside the last one's.
    expect(marked(text, [{ start: 3, end: 12 }])).toBe('a [😀 party 😀]');
    const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    for (const segment of highlightSegments(text, [{ start: 3, end: 12 }])) expect(segment.text).not.toMatch(loneSurrogate);
  });
});

describe('excerptAround', () => {
  it('leaves a short lead alone', () => {
    expect(excerptAround('hello world', [{ start: 6, end: 11 }])).toEqual({ text: 'hello world', ranges: [{ start: 6, end: 11 }] });
  });

  it('cuts a long lead at a word, behind an ellipsis, and moves the ranges with it', () => {
    const text = `${'word '.repeat(40)}needle here`;
    const start = text.indexOf('needle');
    const excerpt = excerptAround(text, [{ start, end: start + 6 }]);
    expect(excerpt.text.startsWith('…word ')).toBe(true);
    const [range] = excerpt.ranges;
    expect(excerpt.text.slice(range?.start, range?.end)).toBe('needle');
  });
});

describe('HighlightedText', () => {
  it('renders the ranges as <mark> elements and escapes the content rather than parsing it', () => {
    const html = renderToStaticMarkup(createElement(HighlightedText, { text: '<b>bold</b> move', ranges: [{ start: 12, end: 16 }] }));
    expect(html).toBe('<span><span>&lt;b&gt;bold&lt;/b&gt; </span><mark class="rounded-sm bg-amber-200 px-0.5 text-slate-900">move</mark></span>');
  });
});
