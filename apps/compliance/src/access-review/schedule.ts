// The quarterly schedule of an org's access reviews: four run dates a year from an anchor
// month, on a fixed day and hour (UTC). The scheduled job asks `runDue` which run to start;
// the run's date is its key, so a second replica or a re-run starts nothing twice. Pure.
import { refuse, type Outcome } from '../shared/outcome';

export interface ReviewSchedule {
  enabled: boolean;
  /** One month of each quarter's run, 1-12 (1: January, April, July, October). */
  anchorMonth: number;
  /** 1-28, so that every month has it. */
  dayOfMonth: number;
  hourUtc: number;
  /** Days a scheduled campaign has before it is due. */
  campaignDays: number;
}

export const DEFAULT_REVIEW_SCHEDULE: ReviewSchedule = { enabled: true, anchorMonth: 1, dayOfMonth: 1, hourUtc: 9, campaignDays: 14 };

const whole = (n: number, min: number, max: number): boolean => Number.isInteger(n) && n >= min && n <= max;

export function validateSchedule(s: ReviewSchedule): Outcome<ReviewSchedule> {
  if (!whole(s.anchorMonth, 1, 12)) return refuse('anchorMonth', 'The anchor month is 1-12');
  if (!whole(s.dayOfMonth, 1, 28)) return refuse('dayOfMonth', 'The day is 1-28, so that every month has it');
  if (!whole(s.hourUtc, 0, 23)) return refuse('hourUtc', 'The hour is 0-23 (UTC)');
  if (!whole(s.campaignDays, 1, 90)) return refuse('campaignDays', 'A campaign runs 1-90 days');
  return { ok: true, value: s };
}

/** The run dates of the quarter months, in order, from the year of `from` onwards (`years` years). */
function runsFrom(s: ReviewSchedule, from: Date, years: number): Date[] {
  const first = (s.anchorMonth - 1) % 3;
  const out: Date[] = [];
  for (let y = from.getUTCFullYear() - 1; y <= from.getUTCFullYear() + years; y++) {
    for (let m = first; m < 12; m += 3) out.push(new Date(Date.UTC(y, m, s.dayOfMonth, s.hourUtc)));
  }
  return out;
}

/** The next `count` run dates strictly after `after`; none when the schedule is off. */
export function nextRuns(s: ReviewSchedule, after: Date, count = 4): Date[] {
  if (!s.enabled) return [];
  return runsFrom(s, after, Math.ceil(count / 4) + 1)
    .filter((d) => d.getTime() > after.getTime())
    .slice(0, count);
}

/**
 * The run to start at `now`: the latest run date at or before `now` and after `since`
 * (the last scheduled run, or when the schedule was turned on), or null. Runs missed while
 * the job was down collapse into one campaign.
 */
export function runDue(s: ReviewSchedule, since: Date, now: Date): Date | null {
  if (!s.enabled) return null;
  const due = runsFrom(s, since, now.getUTCFullYear() - since.getUTCFullYear() + 1).filter((d) => d.getTime() > since.getTime() && d.getTime() <= now.getTime());
  return due[due.length - 1] ?? null;
}

export const campaignDueAt = (s: ReviewSchedule, startedAt: Date): Date => new Date(startedAt.getTime() + s.campaignDays * 86_400_000);
