import { describe, expect, it } from 'vitest';
import { annualAssessmentDue, assessmentProgress, startAnnualAssessment } from './assessment-campaign';
import type { Assessment } from './review';
import { created, risk } from './risk.fixtures';

const scored = (riskId: string, kind: Assessment['kind'], at: Date): Assessment => ({ riskId, kind, changeDescription: kind === 'POST_CHANGE' ? 'c' : null, inherent: { likelihood: 2, impact: 2 }, residual: null, by: 'ann', at });

describe('annual risk assessment', () => {
  it('is due when never run, or a year after the last one started', () => {
    expect(annualAssessmentDue(null, created)).toBe(true);
    const last = new Date('2027-03-01T00:00:00Z');
    expect(annualAssessmentDue(last, new Date('2028-02-29T23:59:59Z'))).toBe(false);
    expect(annualAssessmentDue(last, new Date('2028-03-01T00:00:00Z'))).toBe(true);
    expect(annualAssessmentDue(new Date('2028-02-29T12:00:00Z'), new Date('2029-02-28T12:00:00Z'))).toBe(true);
  });

  it('covers the open risks and counts only ANNUAL assessments since it started', () => {
    const start = new Date('2027-03-01T00:00:00Z');
    const c = startAnnualAssessment([risk({ id: 'b' }), risk({ id: 'a' }), risk({ id: 'z', closedAt: created })], start);
    expect(c).toEqual({ startedAt: start, riskIds: ['a', 'b'] });
    const progress = assessmentProgress(c, [
      scored('a', 'ANNUAL', new Date('2027-03-02T00:00:00Z')),
      scored('b', 'ANNUAL', new Date('2027-02-28T00:00:00Z')),
      scored('b', 'POST_CHANGE', new Date('2027-03-03T00:00:00Z')),
    ]);
    expect(progress).toEqual({ assessed: ['a'], remaining: ['b'] });
  });
});
