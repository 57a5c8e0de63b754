// Accepting a risk, assessing it (annual, post-change, periodic review) and knowing when a
// review is due or overdue, which is what raises the audit alert. Pure. Who may accept is
// the service's check (a permission of its own in the authz registry); this is what an
// acceptance must say.
import { validate } from '@packets/http';
import { refuse, type Outcome } from '../shared/outcome';
import { DAY_MS, checkResidual, checkScores, nextReviewDate, type Risk, type RiskSettings, type Scores } from './risk.model';

const REASON_MAX = 2000;

function checkReason(reason: string | null | undefined, field: string, what: string): Outcome<string> {
  const text = reason ?? '';
  if (!validate.isWellFormed(text)) return refuse(field, `${what} contains a NUL character or an unpaired surrogate`);
  if (text.trim() === '') return refuse(field, `${what} is required`);
  if (text.length > REASON_MAX) return refuse(field, `${what} is longer than ${REASON_MAX} characters`);
  return { ok: true, value: text.trim() };
}

/**
 * Accepts a risk until `expiresAt`: needs a reason, an expiry after `now` and no further
 * than the org's maximum. The treatment becomes ACCEPT.
 */
export function acceptRisk(
  risk: Risk,
  input: { reason: string; by: string; expiresAt: Date },
  settings: RiskSettings,
  now: Date,
): Outcome<Risk> {
  if (risk.closedAt) return refuse('id', 'This risk is closed');
  const reason = checkReason(input.reason, 'reason', 'A reason for accepting the risk');
  if (!reason.ok) return reason;
  if (input.expiresAt.getTime() <= now.getTime()) return refuse('expiresAt', 'An acceptance must expire in the future');
  const latest = now.getTime() + settings.maxAcceptanceDays * DAY_MS;
  if (input.expiresAt.getTime() > latest) return refuse('expiresAt', `An acceptance lasts at most ${settings.maxAcceptanceDays} days (until ${new Date(latest).toISOString()})`);
  return { ok: true, value: { ...risk, treatment: 'ACCEPT', acceptance: { reason: reason.value, by: input.by, at: now, expiresAt: input.expiresAt } } };
}

export const acceptanceExpired = (risk: Risk, now: Date): boolean =>
  risk.treatment === 'ACCEPT' && risk.acceptance !== null && risk.acceptance.expiresAt.getTime() <= now.getTime();

export type ReviewReason = 'REVIEW_DATE_REACHED' | 'ACCEPTANCE_EXPIRED';

export interface ReviewStatus {
  riskId: string;
  /** `<riskId>:<dueAt ISO>`: one audit alert per overdue review, however often the job looks. */
  alertKey: string;
  reasons: ReviewReason[];
  /** The earlier of the review date and the acceptance's expiry. */
  dueAt: Date;
  /** Whole days past that moment. */
  overdueDays: number;
}

/** Why `risk` needs a review at `now`, or null. A closed risk needs none. */
export function reviewStatus(risk: Risk, now: Date): ReviewStatus | null {
  if (risk.closedAt) return null;
  const reasons: ReviewReason[] = [];
  const moments: number[] = [];
  if (risk.reviewDueAt.getTime() <= now.getTime()) {
    reasons.push('REVIEW_DATE_REACHED');
    moments.push(risk.reviewDueAt.getTime());
  }
  if (acceptanceExpired(risk, now) && risk.acceptance) {
    reasons.push('ACCEPTANCE_EXPIRED');
    moments.push(risk.acceptance.expiresAt.getTime());
  }
  if (!reasons.length) return null;
  const dueAt = Math.min(...moments);
  const at = new Date(dueAt);
  return { riskId: risk.id, alertKey: `${risk.id}:${at.toISOString()}`, reasons, dueAt: at, overdueDays: Math.floor((now.getTime() - dueAt) / DAY_MS) };
}

/** The risks whose review is due at `now`, most overdue first (the audit alert lists them). */
export function reviewsDue(risks: readonly Risk[], now: Date): ReviewStatus[] {
  return risks
    .map((r) => reviewStatus(r, now))
    .filter((s): s is ReviewStatus => s !== null)
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.riskId.localeCompare(b.riskId));
}

export const ASSESSMENT_KINDS = ['ANNUAL', 'POST_CHANGE', 'REVIEW'] as const;
export type AssessmentKind = (typeof ASSESSMENT_KINDS)[number];

/** One assessment: who scored what and when (and, after a change, which change). */
export interface Assessment {
  riskId: string;
  kind: AssessmentKind;
  changeDescription: string | null;
  inherent: Scores;
  residual: Scores | null;
  by: string;
  at: Date;
}

/**
 * Records an assessment (which counts as a review) and returns the rescored risk with its
 * next review date. A post-change assessment needs the change described. A risk whose
 * acceptance has expired cannot just be re-scored: renew the acceptance (acceptRisk) or
 * choose another treatment first.
 */
export function assess(
  risk: Risk,
  input: Omit<Assessment, 'riskId' | 'at' | 'changeDescription'> & { changeDescription?: string | null },
  settings: RiskSettings,
  now: Date,
): Outcome<{ risk: Risk; assessment: Assessment }> {
  if (risk.closedAt) return refuse('riskId', 'This risk is closed');
  const bad = checkScores(input.inherent, 'inherent') ?? checkResidual(input.inherent, input.residual);
  if (bad) return bad;
  let changeDescription: string | null = null;
  if (input.kind === 'POST_CHANGE') {
    const described = checkReason(input.changeDescription, 'changeDescription', 'A description of the change');
    if (!described.ok) return described;
    changeDescription = described.value;
  }
  if (acceptanceExpired(risk, now)) {
    return refuse('treatment', `The acceptance of this risk expired on ${risk.acceptance?.expiresAt.toISOString()}; renew it or choose another treatment first`);
  }
  const assessment: Assessment = { riskId: risk.id, kind: input.kind, changeDescription, inherent: input.inherent, residual: input.residual, by: input.by, at: now };
  const next: Risk = {
    ...risk,
    inherent: input.inherent,
    residual: input.residual,
    lastReviewedAt: now,
    reviewDueAt: nextReviewDate(input.residual ?? input.inherent, settings, now),
  };
  return { ok: true, value: { risk: next, assessment } };
}
