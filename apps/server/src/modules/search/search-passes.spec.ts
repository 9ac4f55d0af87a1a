import { describe, expect, it } from 'vitest';
import { conversationsWithin, nextPassBudget, passIsExact, SCAN_PASS_GROWTH } from './search-passes';

const FIRST = 1_000;

describe('search passes', () => {
  it('covers the most recent conversations that fit the message budget, and none when the first is too big', () => {
    const scope = [{ messages: 400 }, { messages: 500 }, { messages: 300 }];
    expect(conversationsWithin(scope, FIRST)).toBe(2);
    expect(conversationsWithin(scope, 1_200)).toBe(3);
    expect(conversationsWithin(scope, 399)).toBe(0);
    expect(conversationsWithin([], FIRST)).toBe(0);
  });

  it('goes to the index after a pass with no hit: the word is rare', () => {
    expect(nextPassBudget({ messages: 1_000, hits: 0, wanted: 21 }, FIRST)).toBe('index');
  });

  it('scans as many messages as the hits so far suggest a page needs, with room to spare', () => {
    // 10 hits in 1,000 messages: a page of 21 needs about 2,100; scan 3,150.
    expect(nextPassBudget({ messages: 1_000, hits: 10, wanted: 21 }, FIRST)).toBe(3_150);
  });

  it('goes to the index when that estimate is past the scanning limit', () => {
    expect(nextPassBudget({ messages: 1_000, hits: 2, wanted: 21 }, FIRST)).toBe('index');
    expect(nextPassBudget({ messages: FIRST * SCAN_PASS_GROWTH, hits: 20, wanted: 21 }, FIRST)).toBe('index');
  });

  it('widens a pass whose full page was not recent enough', () => {
    expect(nextPassBudget({ messages: 1_000, hits: 21, wanted: 21 }, FIRST)).toBe(4_000);
    expect(nextPassBudget({ messages: 4_000, hits: 21, wanted: 21 }, FIRST)).toBe('index');
  });

  it('takes a pass as exact only when it fills the page with hits newer than every conversation it left out', () => {
    const boundary = '2026-01-01T10:00:00.000000Z';
    const newer = ['2026-01-01T12:00:00.000000Z', '2026-01-01T11:00:00.000000Z'];
    expect(passIsExact(newer, 2, boundary)).toBe(true);
    expect(passIsExact(newer, 3, boundary)).toBe(false);
    expect(passIsExact([newer[0]!, boundary], 2, boundary)).toBe(false);
    expect(passIsExact([newer[0]!, '2026-01-01T09:59:59.999999Z'], 2, boundary)).toBe(false);
    expect(passIsExact([], 21, undefined)).toBe(true);
  });
});
