// Score bands (low / medium / high / critical) as an org configures them, and the check
// that they cover scores 1-25 without gaps or overlaps. Pure.
import { refuse, type Outcome } from '../shared/outcome';

export const BAND_NAMES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type BandName = (typeof BAND_NAMES)[number];

export interface Band {
  name: BandName;
  /** Inclusive score range. */
  min: number;
  max: number;
}

export const MAX_SCORE = 25;

/** The scores likelihood x impact can reach (1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 15, 16, 20, 25). */
export const REACHABLE_SCORES: readonly number[] = [...new Set([1, 2, 3, 4, 5].flatMap((l) => [1, 2, 3, 4, 5].map((i) => l * i)))].sort((a, b) => a - b);

export const DEFAULT_BANDS: readonly Band[] = [
  { name: 'LOW', min: 1, max: 4 },
  { name: 'MEDIUM', min: 5, max: 9 },
  { name: 'HIGH', min: 10, max: 16 },
  { name: 'CRITICAL', min: 17, max: 25 },
];

/**
 * Refuses bands that are not the four names once each, in rising order, each a whole
 * range of at least one score that some likelihood x impact reaches, together covering
 * 1-25 with no gap and no overlap. Returns them ordered LOW to CRITICAL.
 */
export function validateBands(bands: readonly Band[]): Outcome<Band[]> {
  if (bands.length !== BAND_NAMES.length) return refuse('bands', `Give the ${BAND_NAMES.length} bands ${BAND_NAMES.join(', ')}, once each`);
  const ordered: Band[] = [];
  for (const name of BAND_NAMES) {
    const found = bands.filter((b) => b.name === name);
    if (found.length !== 1) return refuse('bands', `Give the band ${name} exactly once`);
    ordered.push(found[0] as Band);
  }
  let next = 1;
  for (const b of ordered) {
    const at = `bands[${bands.indexOf(b)}]`;
    if (!Number.isInteger(b.min) || !Number.isInteger(b.max)) return refuse(at, `${b.name}: scores are whole numbers`);
    if (b.min > b.max) return refuse(at, `${b.name}: the lowest score ${b.min} is above the highest ${b.max}`);
    if (b.min < next) return refuse(at, `${b.name} overlaps the band below it: it must start at ${next}`);
    if (b.min > next) return refuse(at, `Scores ${next}-${b.min - 1} fall in no band: ${b.name} must start at ${next}`);
    if (!REACHABLE_SCORES.some((s) => s >= b.min && s <= b.max)) return refuse(at, `${b.name} (${b.min}-${b.max}) holds no score likelihood x impact can reach`);
    next = b.max + 1;
  }
  if (next !== MAX_SCORE + 1) return refuse('bands', `The bands must end at ${MAX_SCORE}; they end at ${next - 1}`);
  return { ok: true, value: ordered };
}

/** The band of a score 1-25 under validated bands. */
export function bandOf(score: number, bands: readonly Band[]): BandName {
  const band = bands.find((b) => score >= b.min && score <= b.max);
  // validated bands cover 1-25, so only a score outside it gets here
  if (!band) throw new Error(`Score ${score} is outside 1-${MAX_SCORE}`);
  return band.name;
}
