import { describe, expect, it } from 'vitest';
import { AppError } from '../../common/errors/app-error';
import { headlineMarkers, markedRanges, mergeRanges } from './highlights';
import { parseSearchQuery } from './search-query';

const ID = '0b6e2f8a-3c1d-4e5f-9a7b-1c2d3e4f5a6b';

function refusal(input: string): AppError {
  try {
    parseSearchQuery(input);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error(`"${input}" was accepted`);
}

describe('parseSearchQuery', () => {
  it('reads free words, phrases and exclusions', () => {
    expect(parseSearchQuery('  lunch   "next friday" -pizza -"team meeting" ')).toMatchObject({
      words: ['lunch'],
      phrases: ['next friday'],
      excluded: ['pizza', 'team meeting'],
    });
  });

  it('treats a quoted single word as a word and runs an unclosed quote to the end', () => {
    expect(parseSearchQuery('"hello" "open ended')).toMatchObject({ words: ['hello'], phrases: ['open ended'] });
  });

  it('reads every operator', () => {
    const parsed = parseSearchQuery(`from:${ID} in:${ID.toUpperCase()} before:2024-03-01 after:2024-01-31 has:link`);
    expect(parsed.senders).toEqual([{ kind: 'id', userId: ID }]);
    expect(parsed.conversationIds).toEqual([ID]);
    expect(parsed.before?.toISOString()).toBe('2024-03-01T00:00:00.000Z');
    // after: a day means after the whole of it.
    expect(parsed.after?.toISOString()).toBe('2024-02-01T00:00:00.000Z');
    expect(parsed.hasLink).toBe(true);
    expect(parsed.words).toEqual([]);
  });

  it('reads a sender by name: a prefix, or an exact name in quotes (spaces allowed)', () => {
    expect(parseSearchQuery('from:@Ada').senders).toEqual([{ kind: 'name', name: 'Ada', exact: false }]);
    expect(parseSearchQuery('from:@"Ada Lovelace" notes')).toMatchObject({ senders: [{ kind: 'name', name: 'Ada Lovelace', exact: true }], words: ['notes'] });
  });

  it('keeps the tightest date bounds when a bound is given twice', () => {
    const parsed = parseSearchQuery('before:2024-05-01 before:2024-04-01 after:2024-01-01 after:2024-02-01');
    expect(parsed.before?.toISOString()).toBe('2024-04-01T00:00:00.000Z');
    expect(parsed.after?.toISOString()).toBe('2024-02-02T00:00:00.000Z');
  });

  it('reads unknown operators, a negated operator and a lone dash as plain words', () => {
    expect(parseSearchQuery('topic:rust - http://x.io')).toMatchObject({ words: ['topic:rust', '-', 'http://x.io'] });
    expect(parseSearchQuery('hello -from:abc')).toMatchObject({ excluded: ['from:abc'], senders: [] });
  });

  it.each([
    ['before:2024-02-30', 'before:'],
    ['after:yesterday', 'after:'],
    ['before:2024-1-01', 'before:'],
    ['from:not-an-id', 'from:'],
    ['in:123', 'in:'],
    ['has:image', 'has:'],
    ['from:@ hello', 'from:@'],
  ])('refuses %s with a 400 naming q', (input, mention) => {
    const error = refusal(input);
    expect(error.status).toBe(400);
    expect(error.code).toBe('INVALID_SEARCH_QUERY');
    expect(error.details).toEqual([{ path: 'q', message: expect.stringContaining(mention) }]);
  });

  it.each(['', '   ', '-alone', '-"only this" -that', '""'])('refuses %j: nothing positive and no filter', (input) => {
    const error = refusal(input);
    expect(error).toMatchObject({ status: 400, code: 'EMPTY_SEARCH_QUERY', message: 'Type a word to search' });
    expect(error.details).toEqual([{ path: 'q', message: 'Type a word to search' }]);
  });

  it('accepts exclusions next to a filter', () => {
    expect(parseSearchQuery(`in:${ID} -spam`)).toMatchObject({ excluded: ['spam'], conversationIds: [ID] });
  });
});

describe('highlights', () => {
  const markers = headlineMarkers();
  const mark = (word: string) => `${markers.start}${word}${markers.stop}`;

  it('turns marked words into UTF-16 offsets of the content', () => {
    const content = '👍 We decided, we decided!';
    const marked = `👍 We ${mark('decided')}, we ${mark('decided')}!`;
    const ranges = markedRanges(content, marked, markers);
    expect(ranges.map(({ start, end }) => content.slice(start, end))).toEqual(['decided', 'decided']);
    expect(ranges[0]).toEqual({ start: 6, end: 13 });
  });

  it('highlights nothing when the marked copy is not the content', () => {
    expect(markedRanges('a b', `a  ${mark('b')}`, markers)).toEqual([]);
    expect(markedRanges('a b', `a ${markers.start}b`, markers)).toEqual([]);
  });

  it('merges overlapping ranges in order', () => {
    expect(
      mergeRanges([
        { start: 10, end: 12 },
        { start: 0, end: 3 },
        { start: 2, end: 5 },
        { start: 10, end: 12 },
      ]),
    ).toEqual([
      { start: 0, end: 5 },
      { start: 10, end: 12 },
    ]);
  });
});
