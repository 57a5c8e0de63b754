// The annual risk assessment: a campaign over every open risk, due a year after the last
// one started; its progress is which risks have an ANNUAL assessment since it started.
// Pure: the scheduled job asks `annualAssessmentDue`, the console shows the progress.
import type { Assessment } from './review';
import type { Risk } from './risk.model';

export interface AssessmentCampaign {
  startedAt: Date;
  /** The open risks when it started: risks added later are scored at creation. */
  riskIds: string[];
}

/** A year after `from`, 29 February falling back to 28 February (UTC). */
function yearAfter(from: Date): Date {
  const d = new Date(from.getTime());
  d.setUTCFullYear(from.getUTCFullYear() + 1);
  if (d.getUTCMonth() !== from.getUTCMonth()) d.setUTCDate(0);
  return d;
}

/** Whether the annual campaign is due at `now`: never run, or a year since the last one started. */
export const annualAssessmentDue = (lastStartedAt: Date | null, now: Date): boolean =>
  lastStartedAt === null || now.getTime() >= yearAfter(lastStartedAt).getTime();

export function startAnnualAssessment(risks: readonly Risk[], now: Date): AssessmentCampaign {
  return { startedAt: now, riskIds: risks.filter((r) => !r.closedAt).map((r) => r.id).sort() };
}

/** Which of the campaign's risks have an ANNUAL assessment since it started, and which not yet. */
export function assessmentProgress(campaign: AssessmentCampaign, assessments: readonly Assessment[]): { assessed: string[]; remaining: string[] } {
  const done = new Set(assessments.filter((a) => a.kind === 'ANNUAL' && a.at.getTime() >= campaign.startedAt.getTime()).map((a) => a.riskId));
  return { assessed: campaign.riskIds.filter((id) => done.has(id)), remaining: campaign.riskIds.filter((id) => !done.has(id)) };
}
