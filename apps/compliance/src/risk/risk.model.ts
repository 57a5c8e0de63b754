// A risk as the register's engine sees it: scores, treatment, acceptance and review dates,
// the org's settings, and the checks on scores and treatments. Pure: the entity, inputs
// and service come later and map onto these.
import { validate } from '@packets/http';
import { refuse, type Outcome, type Refusal } from '../shared/outcome';
import { DEFAULT_BANDS, bandOf, validateBands, type Band, type BandName } from './bands';

export interface Scores {
  /** 1 (rare) to 5 (almost certain). */
  likelihood: number;
  /** 1 (negligible) to 5 (severe). */
  impact: number;
}

export const TREATMENTS = ['MITIGATE', 'ACCEPT', 'TRANSFER', 'AVOID'] as const;
export type Treatment = (typeof TREATMENTS)[number];

export interface Acceptance {
  reason: string;
  by: string;
  at: Date;
  expiresAt: Date;
}

export interface Risk {
  id: string;
  title: string;
  category: string;
  ownerId: string;
  inherent: Scores;
  /** Null until someone scores the risk with its treatment in place. */
  residual: Scores | null;
  treatment: Treatment | null;
  /** Set only while the treatment is ACCEPT. */
  acceptance: Acceptance | null;
  controlIds: readonly string[];
  createdAt: Date;
  lastReviewedAt: Date | null;
  reviewDueAt: Date;
  closedAt: Date | null;
}

export interface RiskSettings {
  bands: readonly Band[];
  /** Days between reviews, by the band of the current score (residual, else inherent). */
  reviewDays: Readonly<Record<BandName, number>>;
  /** The furthest ahead an acceptance may expire. */
  maxAcceptanceDays: number;
}

export const DEFAULT_RISK_SETTINGS: RiskSettings = {
  bands: DEFAULT_BANDS,
  reviewDays: { LOW: 365, MEDIUM: 180, HIGH: 90, CRITICAL: 30 },
  maxAcceptanceDays: 365,
};

export const DAY_MS = 86_400_000;

export const score = (s: Scores): number => s.likelihood * s.impact;

/** The score that counts now: residual once assessed, inherent before. */
export const currentScores = (risk: Pick<Risk, 'inherent' | 'residual'>): Scores => risk.residual ?? risk.inherent;

const isLevel = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= 5;

/** Refuses a likelihood or impact that is not a whole number 1-5. */
export function checkScores(s: Scores, field: string): Refusal | null {
  if (!isLevel(s.likelihood)) return refuse(`${field}.likelihood`, 'Likelihood is a whole number from 1 to 5');
  if (!isLevel(s.impact)) return refuse(`${field}.impact`, 'Impact is a whole number from 1 to 5');
  return null;
}

/**
 * Refuses residual scores above the inherent ones in either dimension: a treatment lowers
 * likelihood or impact, or leaves them; a higher residual means the inherent scoring is wrong.
 */
export function checkResidual(inherent: Scores, residual: Scores | null): Refusal | null {
  if (!residual) return null;
  const bad = checkScores(residual, 'residual');
  if (bad) return bad;
  if (residual.likelihood > inherent.likelihood) return refuse('residual.likelihood', 'Residual likelihood cannot be above the inherent likelihood; rescore the inherent risk');
  if (residual.impact > inherent.impact) return refuse('residual.impact', 'Residual impact cannot be above the inherent impact; rescore the inherent risk');
  return null;
}

export function validateRiskSettings(s: RiskSettings): Outcome<RiskSettings> {
  const bands = validateBands(s.bands);
  if (!bands.ok) return bands;
  for (const name of Object.keys(DEFAULT_RISK_SETTINGS.reviewDays) as BandName[]) {
    const days = s.reviewDays[name];
    if (!Number.isInteger(days) || days < 1 || days > 730) return refuse(`reviewDays.${name}`, `Reviews of ${name} risks come every 1-730 days`);
  }
  // review intervals may not grow with severity
  const days = bands.value.map((b) => s.reviewDays[b.name]);
  const rising = days.findIndex((d, i) => i > 0 && d > (days[i - 1] ?? d));
  if (rising > 0) return refuse(`reviewDays.${bands.value[rising]?.name}`, 'A more severe band cannot be reviewed less often than a milder one');
  if (!Number.isInteger(s.maxAcceptanceDays) || s.maxAcceptanceDays < 1 || s.maxAcceptanceDays > 1095) {
    return refuse('maxAcceptanceDays', 'An acceptance lasts 1-1095 days at most');
  }
  return { ok: true, value: { ...s, bands: bands.value } };
}

/** The band of the current score. */
export const riskBand = (risk: Pick<Risk, 'inherent' | 'residual'>, settings: RiskSettings): BandName => bandOf(score(currentScores(risk)), settings.bands);

/** When the next review falls, counted from `from` by the band of `scores`. */
export function nextReviewDate(scores: Scores, settings: RiskSettings, from: Date): Date {
  return new Date(from.getTime() + settings.reviewDays[bandOf(score(scores), settings.bands)] * DAY_MS);
}

export type NewRisk = Pick<Risk, 'title' | 'category' | 'ownerId' | 'inherent' | 'residual' | 'treatment' | 'controlIds'>;

const TITLE_MAX = 200;
const CATEGORY_MAX = 100;

function checkText(value: string, field: string, label: string, max: number): Refusal | null {
  if (!validate.isWellFormed(value)) return refuse(field, `${label} contains a NUL character or an unpaired surrogate`);
  if (value.trim() === '') return refuse(field, `${label} cannot be empty`);
  if (value.length > max) return refuse(field, `${label} is longer than ${max} characters`);
  return null;
}

/**
 * Checks a new risk and returns it with its first review date. ACCEPT is refused here:
 * accepting goes through `acceptRisk`, which needs a reason and an expiry.
 */
export function createRisk(input: NewRisk, id: string, settings: RiskSettings, now: Date): Outcome<Risk> {
  const bad =
    checkText(input.title, 'title', 'A title', TITLE_MAX) ??
    checkText(input.category, 'category', 'A category', CATEGORY_MAX) ??
    checkScores(input.inherent, 'inherent') ??
    checkResidual(input.inherent, input.residual);
  if (bad) return bad;
  if (input.treatment === 'ACCEPT') return refuse('treatment', 'Accept a risk with acceptRisk: it needs a reason and an expiry date');
  const risk: Risk = {
    ...input,
    id,
    title: input.title.trim(),
    category: input.category.trim(),
    acceptance: null,
    createdAt: now,
    lastReviewedAt: null,
    reviewDueAt: nextReviewDate(input.residual ?? input.inherent, settings, now),
    closedAt: null,
  };
  return { ok: true, value: risk };
}

/** Sets a treatment other than ACCEPT; any acceptance ends with it. */
export function treat(risk: Risk, treatment: Treatment): Outcome<Risk> {
  if (risk.closedAt) return refuse('id', 'This risk is closed');
  if (treatment === 'ACCEPT') return refuse('treatment', 'Accept a risk with acceptRisk: it needs a reason and an expiry date');
  return { ok: true, value: { ...risk, treatment, acceptance: null } };
}
