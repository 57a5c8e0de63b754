import { describe, expect, it } from 'vitest';
import { acceptRisk, assess, reviewStatus, reviewsDue } from './review';
import { created, risk, settings } from './risk.fixtures';

const now = new Date('2027-02-01T00:00:00Z');
const day = 86_400_000;
const accepted = (expiresAt: Date) => risk({ treatment: 'ACCEPT', acceptance: { reason: 'Cheaper than the fix', by: 'ann', at: created, expiresAt } });

describe('acceptRisk', () => {
  it('records the reason, who and when, and the expiry; the treatment becomes ACCEPT', () => {
    const expiresAt = new Date('2027-08-01T00:00:00Z');
    expect(acceptRisk(risk(), { reason: ' Laptops are encrypted; residual is tolerable ', by: 'cfo', expiresAt }, settings, now)).toEqual({
      ok: true,
      value: { ...risk(), treatment: 'ACCEPT', acceptance: { reason: 'Laptops are encrypted; residual is tolerable', by: 'cfo', at: now, expiresAt } },
    });
  });

  it('refuses without a reason, with an expiry not in the future or beyond the org maximum, and on a closed risk', () => {
    const expiresAt = new Date('2027-08-01T00:00:00Z');
    expect(acceptRisk(risk(), { reason: ' ', by: 'cfo', expiresAt }, settings, now)).toMatchObject({ ok: false, field: 'reason' });
    expect(acceptRisk(risk(), { reason: 'ok\ud800', by: 'cfo', expiresAt }, settings, now)).toMatchObject({ ok: false, field: 'reason' });
    expect(acceptRisk(risk(), { reason: 'ok', by: 'cfo', expiresAt: now }, settings, now)).toMatchObject({ ok: false, field: 'expiresAt' });
    expect(acceptRisk(risk(), { reason: 'ok', by: 'cfo', expiresAt: new Date(now.getTime() + 365 * day) }, settings, now)).toMatchObject({ ok: true });
    expect(acceptRisk(risk(), { reason: 'ok', by: 'cfo', expiresAt: new Date(now.getTime() + 365 * day + 1) }, settings, now)).toMatchObject({ ok: false, field: 'expiresAt' });
    expect(acceptRisk(risk({ closedAt: created }), { reason: 'ok', by: 'cfo', expiresAt }, settings, now)).toMatchObject({ ok: false });
  });
});

describe('reviews', () => {
  it('are due from the review date, with whole days overdue', () => {
    const r = risk({ reviewDueAt: new Date('2027-01-20T00:00:00Z') });
    expect(reviewStatus(r, new Date('2027-01-19T23:59:59Z'))).toBeNull();
    expect(reviewStatus(r, now)).toEqual({ riskId: 'risk-1', alertKey: 'risk-1:2027-01-20T00:00:00.000Z', reasons: ['REVIEW_DATE_REACHED'], dueAt: r.reviewDueAt, overdueDays: 12 });
    // the same overdue review keeps its key on later looks; the next review date gets a new one
    expect(reviewStatus(r, new Date('2027-03-01T00:00:00Z'))?.alertKey).toBe('risk-1:2027-01-20T00:00:00.000Z');
  });

  it('bring an expired acceptance back for review', () => {
    const r = accepted(new Date('2027-01-25T00:00:00Z'));
    expect(reviewStatus(r, new Date('2027-01-24T00:00:00Z'))).toBeNull();
    expect(reviewStatus(r, now)).toMatchObject({ reasons: ['ACCEPTANCE_EXPIRED'], dueAt: new Date('2027-01-25T00:00:00Z'), overdueDays: 7 });
    // both at once: due from the earlier of the two
    const both = { ...r, reviewDueAt: new Date('2027-01-28T00:00:00Z') };
    expect(reviewStatus(both, now)).toMatchObject({ reasons: ['REVIEW_DATE_REACHED', 'ACCEPTANCE_EXPIRED'], dueAt: new Date('2027-01-25T00:00:00Z') });
  });

  it('list the due ones most overdue first, leaving out closed risks', () => {
    const list = reviewsDue(
      [
        risk({ id: 'b', reviewDueAt: new Date('2027-01-30T00:00:00Z') }),
        risk({ id: 'a', reviewDueAt: new Date('2027-01-10T00:00:00Z') }),
        risk({ id: 'c', reviewDueAt: new Date('2027-01-01T00:00:00Z'), closedAt: created }),
        risk({ id: 'd', reviewDueAt: new Date('2027-03-01T00:00:00Z') }),
      ],
      now,
    );
    expect(list.map((s) => s.riskId)).toEqual(['a', 'b']);
  });
});

describe('assess', () => {
  const scores = { inherent: { likelihood: 3, impact: 4 }, residual: { likelihood: 2, impact: 3 }, by: 'ann' };

  it('records who scored what and when, and dates the next review from the new band', () => {
    const out = assess(risk(), { ...scores, kind: 'ANNUAL' }, settings, now);
    expect(out).toEqual({
      ok: true,
      value: {
        assessment: { riskId: 'risk-1', kind: 'ANNUAL', changeDescription: null, inherent: scores.inherent, residual: scores.residual, by: 'ann', at: now },
        risk: { ...risk(), residual: scores.residual, lastReviewedAt: now, reviewDueAt: new Date(now.getTime() + 180 * day) },
      },
    });
  });

  it('needs a description of the change for a post-change assessment', () => {
    expect(assess(risk(), { ...scores, kind: 'POST_CHANGE' }, settings, now)).toMatchObject({ ok: false, field: 'changeDescription' });
    expect(assess(risk(), { ...scores, kind: 'POST_CHANGE', changeDescription: ' Moved billing to a new region ' }, settings, now)).toMatchObject({
      ok: true,
      value: { assessment: { kind: 'POST_CHANGE', changeDescription: 'Moved billing to a new region' } },
    });
  });

  it('refuses bad scores, a closed risk, and re-scoring an expired acceptance without deciding again', () => {
    expect(assess(risk(), { ...scores, residual: { likelihood: 4, impact: 1 }, kind: 'REVIEW' }, settings, now)).toMatchObject({ ok: false, field: 'residual.likelihood' });
    expect(assess(risk({ closedAt: created }), { ...scores, kind: 'REVIEW' }, settings, now)).toMatchObject({ ok: false });
    expect(assess(accepted(new Date('2027-01-25T00:00:00Z')), { ...scores, kind: 'REVIEW' }, settings, now)).toMatchObject({ ok: false, field: 'treatment' });
    expect(assess(accepted(new Date('2027-03-01T00:00:00Z')), { ...scores, kind: 'REVIEW' }, settings, now)).toMatchObject({ ok: true });
  });
});
