// The deadline engine: for an incident, the obligations of every regime that applies (by
// rule or added by a person), their due times and status at `now`; and the checks a
// notification must pass before it is recorded. Pure: time comes in as `now`.
import { refuse, type Outcome } from '../shared/outcome';
import type { Incident, SentNotification } from './incident.model';
import {
  REGIMES,
  periodHours,
  regimeById,
  type ClockStart,
  type Deadline,
  type IncidentSettings,
  type Regime,
  type RegimeId,
  type RequiredField,
} from './regimes';

const HOUR_MS = 3_600_000;

/**
 * A person's decision on one regime, always with a reason: ADD a regime the rules did not
 * apply, WAIVE one they did (e.g. an Art. 34(3) exemption), or EXTEND the due time where
 * the law lets the recipient allow longer (the Board's written permission, r.7(2)(b)).
 */
export type Override =
  | { kind: 'ADD' | 'WAIVE'; regimeId: RegimeId; reason: string; by: string; at: Date }
  | { kind: 'EXTEND'; regimeId: RegimeId; dueAt: Date; reason: string; by: string; at: Date };

export type ObligationStatus = 'PENDING' | 'DUE_SOON' | 'OVERDUE' | 'MET' | 'MET_LATE' | 'WAIVED';

export interface Obligation {
  regimeId: RegimeId;
  recipient: string;
  channel: string;
  source: string;
  /** RULE: the regime's trigger applies; ADDED: a person added it. */
  basis: 'RULE' | 'ADDED';
  because: string;
  clockStart: ClockStart;
  /** Null while the clock waits for its moment (confirmation not yet recorded). */
  clockStartedAt: Date | null;
  deadline: Deadline;
  periodHours: number;
  dueAt: Date | null;
  extension: { reason: string; by: string } | null;
  status: ObligationStatus;
  /** Time left, while PENDING or DUE_SOON with a running clock. */
  remainingMs: number | null;
  /** How far past due: while OVERDUE, or by how much a MET_LATE obligation was late. */
  overdueByMs: number | null;
  metAt: Date | null;
  waiver: { reason: string; by: string; at: Date } | null;
}

const blank = (s: string | null | undefined): boolean => !s || s.trim() === '';

/** Refuses an override a person may not make: no reason, unknown regime, dated ahead, or an
 * extension where the law allows none. */
export function checkOverride(override: Override, now: Date): Outcome<Override> {
  const regime = regimeById(override.regimeId);
  if (!regime) return refuse('regimeId', `There is no regime ${override.regimeId}`);
  const verb = { ADD: 'Adding', WAIVE: 'Waiving', EXTEND: 'Extending' }[override.kind];
  if (blank(override.reason)) return refuse('reason', `${verb} ${regime.id} needs a reason`);
  if (override.at.getTime() > now.getTime()) return refuse('at', 'An override cannot be dated in the future');
  if (override.kind === 'EXTEND' && !(regime.deadline.kind === 'HOURS' && regime.deadline.extendable)) {
    return refuse('regimeId', `The deadline of ${regime.id} cannot be extended`);
  }
  return { ok: true, value: override };
}

function clockStartedAt(regime: Regime, incident: Incident): Date | null {
  switch (regime.clockStart) {
    case 'AWARENESS':
    case 'NOTICING':
      return incident.awareAt;
    case 'CONFIRMATION':
      return incident.confirmedAt;
  }
}

function metAt(regime: Regime, incident: Incident): Date | null {
  if (regime.metBy === 'CONTAINMENT') return incident.containedAt;
  const sent = incident.notifications
    .filter((n) => n.regimeId === regime.id)
    .map((n) => n.sentAt.getTime());
  return sent.length ? new Date(Math.min(...sent)) : null;
}

/** The latest override of each kind per regime wins (a waiver can be undone by an addition). */
function latest<K extends Override['kind']>(overrides: readonly Override[], regimeId: RegimeId, kinds: readonly K[]): Extract<Override, { kind: K }> | undefined {
  return overrides
    .filter((o): o is Extract<Override, { kind: K }> => o.regimeId === regimeId && (kinds as readonly string[]).includes(o.kind))
    .reduce<Extract<Override, { kind: K }> | undefined>((last, o) => (!last || o.at.getTime() >= last.at.getTime() ? o : last), undefined);
}

/**
 * The obligations of `incident` at `now`. Every clock is computed from the incident's
 * recorded moments, so an edited awareness time moves every clock that runs from it.
 * A sent notification counts (MET / MET_LATE) even if the regime was later waived or the
 * report dismissed.
 */
export function obligations(
  incident: Incident,
  settings: IncidentSettings,
  overrides: readonly Override[],
  now: Date,
): Outcome<Obligation[]> {
  for (const o of overrides) {
    const checked = checkOverride(o, now);
    if (!checked.ok) return checked;
  }
  const out: Obligation[] = [];
  for (const regime of REGIMES) {
    const rule = regime.trigger(incident, settings);
    const decision = latest(overrides, regime.id, ['ADD', 'WAIVE'] as const);
    const added = decision?.kind === 'ADD';
    if (!rule.applies && !added) continue;

    const startedAt = clockStartedAt(regime, incident);
    const hours = periodHours(regime, settings);
    const extension = latest(overrides, regime.id, ['EXTEND'] as const);
    const dueAt = startedAt ? (extension?.dueAt ?? new Date(startedAt.getTime() + hours * HOUR_MS)) : null;
    const met = metAt(regime, incident);
    // A person's waiver, or the dismissal of the report as not an incident.
    const waived = decision?.kind === 'WAIVE'
      ? { reason: decision.reason.trim(), by: decision.by, at: decision.at }
      : incident.dismissal
        ? { reason: `Dismissed as not an incident: ${incident.dismissal.reason}`, by: incident.dismissal.by, at: incident.dismissal.at }
        : null;

    let status: ObligationStatus;
    let remainingMs: number | null = null;
    let overdueByMs: number | null = null;
    if (met) {
      const late = dueAt !== null && met.getTime() > dueAt.getTime();
      status = late ? 'MET_LATE' : 'MET';
      if (late) overdueByMs = met.getTime() - dueAt.getTime();
    } else if (waived) {
      status = 'WAIVED';
    } else if (!dueAt) {
      status = 'PENDING';
    } else {
      const left = dueAt.getTime() - now.getTime();
      if (left < 0) {
        status = 'OVERDUE';
        overdueByMs = -left;
      } else {
        // The due-soon window is a share of the whole period (or of the extended one).
        const period = startedAt ? dueAt.getTime() - startedAt.getTime() : hours * HOUR_MS;
        status = left <= period * settings.dueSoonFraction ? 'DUE_SOON' : 'PENDING';
        remainingMs = left;
      }
    }

    out.push({
      regimeId: regime.id,
      recipient: regime.recipient,
      channel: regime.channel,
      source: regime.source,
      basis: rule.applies ? 'RULE' : 'ADDED',
      because: rule.applies ? rule.because : `Added: ${decision?.reason.trim() ?? ''}`,
      clockStart: regime.clockStart,
      clockStartedAt: startedAt,
      deadline: regime.deadline,
      periodHours: hours,
      dueAt,
      extension: extension ? { reason: extension.reason.trim(), by: extension.by } : null,
      status,
      remainingMs,
      overdueByMs,
      metAt: met,
      waiver: waived,
    });
  }
  return { ok: true, value: out };
}

export interface ContentsCheck {
  /** Required fields absent or blank, in the regime's order. */
  missing: RequiredField[];
  /** Field ids the regime does not know (a typo would otherwise hide a missing field). */
  unknown: string[];
}

/** What a notice under `regime` lacks of the contents the regime requires. */
export function checkNotification(regime: Regime | RegimeId, contents: Readonly<Record<string, string>>): ContentsCheck {
  const r = typeof regime === 'string' ? regimeById(regime) : regime;
  // Regime ids are a closed union, so only a cast can get here.
  if (!r) throw new Error(`There is no regime ${typeof regime === 'string' ? regime : regime.id}`);
  const known = new Set(r.requiredContents.map((f) => f.id));
  return {
    missing: r.requiredContents.filter((f) => blank(contents[f.id])),
    unknown: Object.keys(contents).filter((k) => !known.has(k)),
  };
}

/**
 * Checks a notification before it is recorded and returns the incident with it: the
 * regime must be one of the incident's obligations and sent by notice, every required
 * field present (the refusal names the missing ones), and a late one needs its reason.
 */
export function recordNotification(
  incident: Incident,
  settings: IncidentSettings,
  overrides: readonly Override[],
  notification: SentNotification,
  now: Date,
): Outcome<Incident> {
  const regime = regimeById(notification.regimeId);
  if (!regime) return refuse('regimeId', `There is no regime ${notification.regimeId}`);
  if (regime.metBy !== 'NOTIFICATION') return refuse('regimeId', `${regime.id} is met by a state change, not by a notification`);
  if (notification.sentAt.getTime() > now.getTime()) return refuse('sentAt', 'A notification cannot be dated in the future');
  if (notification.sentAt.getTime() < incident.awareAt.getTime()) return refuse('sentAt', 'A notification cannot precede the moment the org became aware');
  if (blank(notification.recipient)) return refuse('recipient', 'A notification needs its recipient');
  if (blank(notification.channel)) return refuse('channel', 'A notification needs its channel');

  const all = obligations(incident, settings, overrides, now);
  if (!all.ok) return all;
  const obligation = all.value.find((o) => o.regimeId === regime.id);
  if (!obligation) return refuse('regimeId', `${regime.id} does not apply to this incident; add it with a reason first`);

  const { missing, unknown } = checkNotification(regime, notification.contents);
  if (missing.length) {
    return refuse('contents', `A notification to ${regime.recipient} must include: ${missing.map((f) => `${f.label} (${f.ref})`).join('; ')}`);
  }
  if (unknown.length) return refuse('contents', `${regime.id} has no fields ${unknown.join(', ')}`);

  const late = obligation.dueAt !== null && notification.sentAt.getTime() > obligation.dueAt.getTime();
  if (late && blank(notification.reasonForDelay)) {
    return refuse('reasonForDelay', `This notification is late (due ${obligation.dueAt?.toISOString()}); it must give the reasons for the delay`);
  }
  const recorded: SentNotification = { ...notification, reasonForDelay: notification.reasonForDelay?.trim() || null };
  return { ok: true, value: { ...incident, notifications: [...incident.notifications, recorded] } };
}
