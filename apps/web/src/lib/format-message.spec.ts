import { describe, expect, it } from 'vitest';
import { type BlockNode, type InlineNode, isLongMessage, parseInline, parseMessage, plainText, safeHref } from './format-message';

const text = (value: string): InlineNode => ({ type: 'text', text: value });
const link = (href: string, value = href): InlineNode => ({ type: 'link', href, text: value });

/** Everything a reader sees, in order: formatting must never drop or add characters outside markers. */
function plain(nodes: readonly (InlineNode | BlockNode)[]): string {
  return nodes
    .map((node) => {
      switch (node.type) {
        case 'text':
        case 'code':
        case 'link':
        case 'codeBlock':
          return node.text;
        default:
          return plain(node.children);
      }
    })
    .join('');
}

describe('parseInline', () => {
  it('leaves plain text alone, newlines included', () => {
    expect(parseInline('Sure!\n12:30?')).toEqual([text('Sure!\n12:30?')]);
  });

  it('formats bold, both italics and inline code', () => {
    expect(parseInline('a **bold** _it_ *also* `x = 1` b')).toEqual([
      text('a '),
      { type: 'bold', children: [text('bold')] },
      text(' '),
      { type: 'italic', children: [text('it')] },
      text(' '),
      { type: 'italic', children: [text('also')] },
      text(' '),
      { type: 'code', text: 'x = 1' },
      text(' b'),
    ]);
  });

  it('nests italic inside bold', () => {
    expect(parseInline('**very _much_ so**')).toEqual([{ type: 'bold', children: [text('very '), { type: 'italic', children: [text('much')] }, text(' so')] }]);
  });

  it('keeps markers that do not hug their text, or are inside words, as text', () => {
    for (const input of ['2 * 3 * 4', 'snake_case_name', '** not bold **', '_ nope _', 'a**b', '****', '__']) {
      expect(parseInline(input), input).toEqual([text(input)]);
    }
  });

  it('shows unbalanced markers as typed', () => {
    for (const input of ['**open', 'close**', '_half', '`tick', '**a _b** c_', '```']) {
      expect(plain(parseInline(input)), input).toBe(input.replace(/\*\*(a _b)\*\*/, '$1'));
    }
    expect(parseInline('**open')).toEqual([text('**open')]);
  });

  it('does not format inside code', () => {
    expect(parseInline('`**x** https://a.example`')).toEqual([{ type: 'code', text: '**x** https://a.example' }]);
    expect(parseInline('```npm run *all*```')).toEqual([{ type: 'code', text: 'npm run *all*' }]);
  });

  it('links http, https and mailto addresses, leaving a sentence’s punctuation out', () => {
    expect(parseInline('See https://example.com/a_b_c, then mail mailto:ann@example.com.')).toEqual([
      text('See '),
      link('https://example.com/a_b_c'),
      text(', then mail '),
      link('mailto:ann@example.com'),
      text('.'),
    ]);
    expect(parseInline('(docs at http://example.com/wiki/A_(b))')).toEqual([text('(docs at '), link('http://example.com/wiki/A_(b)'), text(')')]);
    expect(parseInline('**https://example.com/x**')).toEqual([{ type: 'bold', children: [link('https://example.com/x')] }]);
  });

  it('never links other schemes', () => {
    for (const input of [
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox',
      'file:///etc/passwd',
      'https://',
      'mailto:nobody',
    ]) {
      expect(
        parseInline(input).some((node) => node.type === 'link'),
        input,
      ).toBe(false);
    }
    // A javascript: URL hidden after an allowed prefix is not a link either.
    expect(parseInline('xhttps://example.com').some((node) => node.type === 'link')).toBe(false);
  });

  it('keeps HTML as text', () => {
    const input = '<img src=x onerror=alert(1)> <script>alert(1)</script> <a href="javascript:x">y</a>';
    expect(parseInline(input)).toEqual([text(input)]);
  });

  it('stays linear on hostile input', () => {
    const inputs = [
      '*'.repeat(200_000),
      '_a'.repeat(100_000),
      '**a'.repeat(70_000),
      '`'.repeat(200_000),
      '`a``'.repeat(50_000),
      'https://a.example/'.repeat(10_000),
    ];
    for (const input of inputs) {
      const started = performance.now();
      expect(plain(parseInline(input)).length).toBeGreaterThan(0);
      // A quadratic parser takes minutes here; a linear one well under a second.
      expect(performance.now() - started).toBeLessThan(5_000);
    }
  });
});

describe('parseMessage', () => {
  it('splits code blocks and quotes from paragraphs', () => {
    expect(parseMessage('Look:\n```js\nconst a = **1**;\n```\n> quoted _words_\n> more\nafter')).toEqual([
      { type: 'paragraph', children: [text('Look:')] },
      { type: 'codeBlock', text: 'const a = **1**;' },
      { type: 'quote', children: [text('quoted '), { type: 'italic', children: [text('words')] }, text('\nmore')] },
      { type: 'paragraph', children: [text('after')] },
    ]);
  });

  it('keeps an empty code block', () => {
    expect(parseMessage('```\n```')).toEqual([{ type: 'codeBlock', text: '' }]);
  });

  it('treats an unclosed fence as text', () => {
    expect(parseMessage('```\ncode')).toEqual([{ type: 'paragraph', children: [text('```\ncode')] }]);
  });

  it('needs "> " for a quote, so ">.<" and "=>" stay text', () => {
    expect(parseMessage('>.<\na => b')).toEqual([{ type: 'paragraph', children: [text('>.<\na => b')] }]);
  });

  it('handles many unclosed fences in linear time', () => {
    const input = '```js\n'.repeat(100_000);
    const started = performance.now();
    expect(parseMessage(input)).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('safeHref', () => {
  it('allows only http, https and mailto', () => {
    expect(safeHref('https://example.com')).toBe('https://example.com/');
    expect(safeHref('mailto:a@example.com')).toBe('mailto:a@example.com');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('not a url')).toBeNull();
  });
});

describe('isLongMessage', () => {
  it('collapses more than 25 lines or very long text', () => {
    expect(isLongMessage(Array.from({ length: 25 }, () => 'line').join('\n'))).toBe(false);
    expect(isLongMessage(Array.from({ length: 26 }, () => 'line').join('\n'))).toBe(true);
    expect(isLongMessage('x'.repeat(4_000))).toBe(true);
    expect(isLongMessage('short')).toBe(false);
  });
});

describe('plainText', () => {
  it('keeps the words and drops the markers', () => {
    expect(plainText('**lint** passed, see _the log_ and `ci.yml`')).toBe('lint passed, see the log and ci.yml');
    expect(plainText('> quoted\nreply')).toBe('quoted reply');
    expect(plainText('```\nnpm test\n```')).toBe('npm test');
    expect(plainText('[docs](https://example.com) 2 * 3 = 6')).toContain('2 * 3 = 6');
  });

  it('leaves an unclosed marker as typed', () => {
    expect(plainText('**half')).toBe('**half');
  });
});
