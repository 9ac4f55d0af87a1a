import { describe, expect, it } from 'vitest';
import { TtlMap } from './ttl-map';

describe('TtlMap', () => {
  it('forgets an entry once its time is up, on read and on sweep', () => {
    let now = 1_000;
    const map = new TtlMap<string, number>(60_000, () => now);
    map.set('a', 1, 100);
    map.set('b', 2, 500);
    expect(map.get('a')).toBe(1);
    now += 100;
    expect(map.get('a')).toBeUndefined();
    expect(map.has('b')).toBe(true);
    now += 400;
    map.sweep();
    expect(map.size).toBe(0);
    map.close();
  });
});
