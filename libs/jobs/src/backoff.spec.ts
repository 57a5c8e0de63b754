import { describe, expect, it } from 'vitest';
import { backoff } from './backoff';

describe('backoff', () => {
  it('doubles from the base, capped, with equal jitter inside [delay/2, delay]', () => {
    expect([1, 2, 3, 4, 5].map((a) => backoff(a, { baseMs: 100, maxMs: 1000 }))).toEqual([100, 200, 400, 800, 1000]);
    expect(backoff(0, { baseMs: 100, maxMs: 1000 })).toBe(100);
    expect(backoff(10_000, { baseMs: 2000, maxMs: 3_600_000 })).toBe(3_600_000);
    expect(backoff(3, { baseMs: 100, maxMs: 1000, jitter: true, random: () => 0 })).toBe(200);
    expect(backoff(3, { baseMs: 100, maxMs: 1000, jitter: true, random: () => 1 })).toBe(400);
  });
});
