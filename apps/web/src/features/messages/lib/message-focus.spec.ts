import { describe, expect, it } from 'vitest';
import { messageFocusLink, parseMessageFocus } from './message-focus';

const ID = '00000000-0000-4000-8000-000000000001';

describe('message focus links', () => {
  it('round-trips a message through the link', () => {
    const link = new URL(messageFocusLink('c/1', { id: ID, seq: 42 }), 'http://localhost');
    expect(link.pathname).toBe('/c/c%2F1');
    expect(parseMessageFocus(link.searchParams, 'k1')).toEqual({ id: ID, seq: 42, key: 'k1' });
  });

  it('has no focus without a message, and no seq when it is not a positive integer', () => {
    expect(parseMessageFocus(new URLSearchParams(''), 'k')).toBeUndefined();
    for (const seq of ['', 'abc', '0', '-3', '1.5']) expect(parseMessageFocus(new URLSearchParams({ message: ID, seq }), 'k')?.seq).toBeUndefined();
  });
});
