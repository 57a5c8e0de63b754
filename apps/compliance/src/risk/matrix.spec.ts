import { describe, expect, it } from 'vitest';
import { DEFAULT_BANDS } from './bands';
import { riskMatrix } from './matrix';
import { created, risk } from './risk.fixtures';

describe('riskMatrix', () => {
  const risks = [
    risk({ id: 'a', inherent: { likelihood: 3, impact: 4 }, residual: { likelihood: 2, impact: 4 } }),
    risk({ id: 'b', inherent: { likelihood: 3, impact: 4 }, residual: null }),
    risk({ id: 'c', inherent: { likelihood: 5, impact: 5 }, residual: { likelihood: 2, impact: 4 } }),
    risk({ id: 'd', inherent: { likelihood: 1, impact: 1 }, closedAt: created }),
  ];
  const m = riskMatrix(risks, DEFAULT_BANDS);
  const at = (l: number, i: number) => m.cells.find((c) => c.likelihood === l && c.impact === i);

  it('has all 25 cells, likelihood then impact, with score and band', () => {
    expect(m.cells).toHaveLength(25);
    expect(m.cells.slice(0, 2).map((c) => [c.likelihood, c.impact])).toEqual([[1, 1], [1, 2]]);
    expect(at(5, 5)).toMatchObject({ score: 25, band: 'CRITICAL' });
    expect(at(2, 2)).toMatchObject({ score: 4, band: 'LOW' });
  });

  it('counts open risks per cell by inherent and residual score', () => {
    expect(at(3, 4)).toMatchObject({ inherent: 2, residual: 0, inherentRiskIds: ['a', 'b'] });
    expect(at(2, 4)).toMatchObject({ inherent: 0, residual: 2, residualRiskIds: ['a', 'c'] });
    expect(at(5, 5)).toMatchObject({ inherent: 1, residual: 0 });
    expect(at(1, 1)).toMatchObject({ inherent: 0, residual: 0 });
    expect(m.cells.reduce((n, c) => n + c.inherent, 0)).toBe(3);
    expect(m.cells.reduce((n, c) => n + c.residual, 0)).toBe(2);
    expect(m).toMatchObject({ risks: 3, residualUnscored: 1 });
  });

  it('is empty but whole without risks', () => {
    const empty = riskMatrix([], DEFAULT_BANDS);
    expect(empty.cells.every((c) => c.inherent === 0 && c.residual === 0)).toBe(true);
    expect(empty).toMatchObject({ risks: 0, residualUnscored: 0 });
  });
});
