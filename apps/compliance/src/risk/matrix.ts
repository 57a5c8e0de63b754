// The 5x5 matrix behind the console's heat map: per likelihood x impact cell, how many open
// risks sit there by inherent and by residual score. Pure.
import { bandOf, type Band, type BandName } from './bands';
import type { Risk } from './risk.model';

export interface MatrixCell {
  likelihood: number;
  impact: number;
  score: number;
  band: BandName;
  inherent: number;
  residual: number;
  inherentRiskIds: string[];
  residualRiskIds: string[];
}

export interface RiskMatrix {
  /** All 25 cells, likelihood 1-5, then impact 1-5 within it. */
  cells: MatrixCell[];
  /** Open risks counted. */
  risks: number;
  /** Open risks without a residual score yet: in the inherent matrix only. */
  residualUnscored: number;
}

export function riskMatrix(risks: readonly Risk[], bands: readonly Band[]): RiskMatrix {
  const cells: MatrixCell[] = [];
  for (let likelihood = 1; likelihood <= 5; likelihood++) {
    for (let impact = 1; impact <= 5; impact++) {
      cells.push({ likelihood, impact, score: likelihood * impact, band: bandOf(likelihood * impact, bands), inherent: 0, residual: 0, inherentRiskIds: [], residualRiskIds: [] });
    }
  }
  const cell = (l: number, i: number): MatrixCell => {
    const c = cells[(l - 1) * 5 + (i - 1)];
    // scores are checked to be 1-5 before a risk is saved
    if (!c) throw new Error(`No cell for likelihood ${l}, impact ${i}`);
    return c;
  };
  const open = risks.filter((r) => !r.closedAt);
  for (const r of open) {
    const inherent = cell(r.inherent.likelihood, r.inherent.impact);
    inherent.inherent++;
    inherent.inherentRiskIds.push(r.id);
    if (r.residual) {
      const residual = cell(r.residual.likelihood, r.residual.impact);
      residual.residual++;
      residual.residualRiskIds.push(r.id);
    }
  }
  return { cells, risks: open.length, residualUnscored: open.filter((r) => !r.residual).length };
}
