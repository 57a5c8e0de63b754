import { describe, expect, it } from 'vitest';
import { DEFAULT_BANDS, REACHABLE_SCORES, bandOf, validateBands, type Band } from './bands';

const bands = (...ranges: [number, number][]): Band[] =>
  (['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const).map((name, i) => ({ name, min: ranges[i]?.[0] ?? 0, max: ranges[i]?.[1] ?? 0 }));

describe('risk bands', () => {
  it('default to low 1-4, medium 5-9, high 10-16, critical 17-25', () => {
    expect(validateBands(DEFAULT_BANDS)).toEqual({ ok: true, value: DEFAULT_BANDS });
    expect([1, 4, 5, 9, 10, 16, 20, 25].map((s) => bandOf(s, DEFAULT_BANDS))).toEqual(['LOW', 'LOW', 'MEDIUM', 'MEDIUM', 'HIGH', 'HIGH', 'CRITICAL', 'CRITICAL']);
    expect(REACHABLE_SCORES).toEqual([1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 15, 16, 20, 25]);
  });

  it('accept an org\'s own thresholds given in any order, returned low to critical', () => {
    const mine = bands([1, 3], [4, 8], [9, 14], [15, 25]).reverse();
    expect(validateBands(mine)).toMatchObject({ ok: true, value: [{ name: 'LOW' }, { name: 'MEDIUM' }, { name: 'HIGH' }, { name: 'CRITICAL' }] });
  });

  it('refuse a gap, an overlap, a range that does not start at 1 or end at 25, and an inverted range', () => {
    expect(validateBands(bands([1, 4], [6, 9], [10, 16], [17, 25]))).toEqual({ ok: false, field: 'bands[1]', reason: 'Scores 5-5 fall in no band: MEDIUM must start at 5' });
    expect(validateBands(bands([1, 5], [5, 9], [10, 16], [17, 25]))).toMatchObject({ ok: false, field: 'bands[1]', reason: expect.stringContaining('overlaps') as string });
    expect(validateBands(bands([2, 4], [5, 9], [10, 16], [17, 25]))).toMatchObject({ ok: false, field: 'bands[0]' });
    expect(validateBands(bands([1, 4], [5, 9], [10, 16], [17, 24]))).toMatchObject({ ok: false, field: 'bands', reason: expect.stringContaining('end at 25') as string });
    expect(validateBands(bands([1, 4], [5, 9], [16, 10], [17, 25]))).toMatchObject({ ok: false, field: 'bands[2]' });
    expect(validateBands(bands([1, 4], [5, 9], [10, 16], [17, 30]))).toMatchObject({ ok: false, field: 'bands' });
    expect(validateBands(bands([1, 4], [5, 9.5], [10, 16], [17, 25]))).toMatchObject({ ok: false, field: 'bands[1]' });
  });

  it('refuse a band no likelihood x impact can reach (17-19)', () => {
    expect(validateBands(bands([1, 4], [5, 9], [10, 19], [20, 25]))).toMatchObject({ ok: true });
    expect(validateBands(bands([1, 4], [5, 16], [17, 19], [20, 25]))).toMatchObject({ ok: false, field: 'bands[2]', reason: expect.stringContaining('no score') as string });
  });

  it('refuse a missing or repeated band name', () => {
    expect(validateBands(DEFAULT_BANDS.slice(0, 3))).toMatchObject({ ok: false, field: 'bands' });
    const twice: Band[] = [...DEFAULT_BANDS.slice(0, 3), { name: 'HIGH', min: 17, max: 25 }];
    expect(validateBands(twice)).toMatchObject({ ok: false, field: 'bands', reason: 'Give the band HIGH exactly once' });
  });
});
