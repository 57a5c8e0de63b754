// Who must take which module, and by when: on joining, annually from the last completion,
// and again when the org publishes a version that asks for it. Pure: the scheduled job and
// the joining paths (invitation acceptance, SSO JIT) call these and save what they return.
import { refuse, type Outcome } from '../shared/outcome';
import { currentVersions, type TrainingModule } from './training.model';

export const DAY_MS = 86_400_000;

export interface TrainingSettings {
  /** Days from assignment to the due date. */
  dueDays: number;
  /** Reminders this many days before the due date (e.g. 7 and 1). */
  reminderDaysBefore: readonly number[];
  /** Once overdue, a reminder on the due date and then every so many days... */
  overdueReminderEveryDays: number;
  /** ...up to this many overdue reminders in all (0: none). */
  overdueReminderLimit: number;
}

export const DEFAULT_TRAINING_SETTINGS: TrainingSettings = {
  dueDays: 30,
  reminderDaysBefore: [7, 1],
  overdueReminderEveryDays: 7,
  overdueReminderLimit: 4,
};

const isWhole = (n: number, min: number, max: number): boolean => Number.isInteger(n) && n >= min && n <= max;

/** Refuses settings the schedule cannot honour. */
export function validateSettings(s: TrainingSettings): Outcome<TrainingSettings> {
  if (!isWhole(s.dueDays, 1, 365)) return refuse('dueDays', 'The due date is 1-365 days after assignment');
  if (s.reminderDaysBefore.length > 5) return refuse('reminderDaysBefore', 'At most 5 reminders before the due date');
  for (const [i, d] of s.reminderDaysBefore.entries()) {
    if (!isWhole(d, 1, s.dueDays)) return refuse(`reminderDaysBefore[${i}]`, `A reminder comes 1-${s.dueDays} days before the due date`);
  }
  if (new Set(s.reminderDaysBefore).size !== s.reminderDaysBefore.length) return refuse('reminderDaysBefore', 'Each reminder day appears once');
  if (!isWhole(s.overdueReminderEveryDays, 1, 90)) return refuse('overdueReminderEveryDays', 'Overdue reminders repeat every 1-90 days');
  if (!isWhole(s.overdueReminderLimit, 0, 12)) return refuse('overdueReminderLimit', 'At most 12 overdue reminders');
  return { ok: true, value: { ...s, reminderDaysBefore: [...s.reminderDaysBefore].sort((a, b) => b - a) } };
}

/**
 * JOINED: a member who joined after the module existed; NEW_MODULE: a member already there
 * when the org added the module; ANNUAL: a year after the last completion; NEW_VERSION: the
 * org published a version asking to re-train; MANUAL: `assignTraining`.
 */
export type AssignmentReason = 'JOINED' | 'NEW_MODULE' | 'ANNUAL' | 'NEW_VERSION' | 'MANUAL';

export interface Assignment {
  id: string;
  memberId: string;
  moduleKey: string;
  /** The version to take; it stays the one assigned even if a newer one is published. */
  version: number;
  reason: AssignmentReason;
  assignedAt: Date;
  dueAt: Date;
}

export type NewAssignment = Omit<Assignment, 'id'>;

export interface Completion {
  assignmentId: string;
  memberId: string;
  moduleKey: string;
  version: number;
  score: number;
  completedAt: Date;
}

export interface Member {
  id: string;
  joinedAt: Date;
}

export const dueDate = (assignedAt: Date, settings: TrainingSettings): Date => new Date(assignedAt.getTime() + settings.dueDays * DAY_MS);

/** One calendar year later (UTC); 29 February falls back to 28 February. */
export function renewalDate(completedAt: Date): Date {
  const next = new Date(completedAt.getTime());
  next.setUTCFullYear(completedAt.getUTCFullYear() + 1);
  if (next.getUTCMonth() !== completedAt.getUTCMonth()) next.setUTCDate(0);
  return next;
}

/** The member's completion with the latest date for `key`, if any. */
export function lastCompletion(completions: readonly Completion[], memberId: string, key: string): Completion | undefined {
  return completions
    .filter((c) => c.memberId === memberId && c.moduleKey === key)
    .reduce<Completion | undefined>((last, c) => (!last || c.completedAt.getTime() > last.completedAt.getTime() ? c : last), undefined);
}

/** The member's assignment of `key` not completed yet (there is at most one). */
export function openAssignment(assignments: readonly Assignment[], completions: readonly Completion[], memberId: string, key: string): Assignment | undefined {
  const done = new Set(completions.map((c) => c.assignmentId));
  return assignments.find((a) => a.memberId === memberId && a.moduleKey === key && !done.has(a.id));
}

function reasonFor(
  module: TrainingModule,
  versions: readonly TrainingModule[],
  member: Member,
  assignments: readonly Assignment[],
  completions: readonly Completion[],
  now: Date,
): AssignmentReason | null {
  if (openAssignment(assignments, completions, member.id, module.key)) return null;
  const last = lastCompletion(completions, member.id, module.key);
  if (!last) {
    // Never completed and nothing open: never assigned (completions always follow an assignment).
    const firstPublished = Math.min(...versions.map((v) => v.publishedAt.getTime()));
    return member.joinedAt.getTime() >= firstPublished ? 'JOINED' : 'NEW_MODULE';
  }
  const asked = versions.some((v) => v.version > last.version && v.version <= module.version && v.reassignOnPublish);
  if (asked) return 'NEW_VERSION';
  if (now.getTime() >= renewalDate(last.completedAt).getTime()) return 'ANNUAL';
  return null;
}

/**
 * The assignments to create at `now` for `members` (each module's current version):
 * idempotent, since a member with an open assignment of a module gets no other one, so the
 * daily job and the joining paths can all call it. An open assignment of an older version
 * stays; completing it, when a later version asked to re-train, assigns that version.
 */
export function planAssignments(
  modules: readonly TrainingModule[],
  members: readonly Member[],
  assignments: readonly Assignment[],
  completions: readonly Completion[],
  settings: TrainingSettings,
  now: Date,
): NewAssignment[] {
  const out: NewAssignment[] = [];
  for (const module of currentVersions(modules)) {
    const versions = modules.filter((m) => m.key === module.key);
    for (const member of members) {
      const reason = reasonFor(module, versions, member, assignments, completions, now);
      if (reason) out.push({ memberId: member.id, moduleKey: module.key, version: module.version, reason, assignedAt: now, dueAt: dueDate(now, settings) });
    }
  }
  return out;
}

/**
 * `assignTraining`: assigns the current version of `module` to the named members now.
 * Refuses an empty or repeated list, a name that is not a member, and a member who already
 * has this module open (all or nothing).
 */
export function assignByHand(
  module: TrainingModule,
  memberIds: readonly string[],
  members: readonly Member[],
  assignments: readonly Assignment[],
  completions: readonly Completion[],
  settings: TrainingSettings,
  now: Date,
): Outcome<NewAssignment[]> {
  if (memberIds.length === 0) return refuse('memberIds', 'Name at least one member');
  const known = new Set(members.map((m) => m.id));
  const seen = new Set<string>();
  for (const [i, id] of memberIds.entries()) {
    if (!known.has(id)) return refuse(`memberIds[${i}]`, `${id} is not a member of this organisation`);
    if (seen.has(id)) return refuse(`memberIds[${i}]`, `${id} is named twice`);
    seen.add(id);
    if (openAssignment(assignments, completions, id, module.key)) return refuse(`memberIds[${i}]`, `${id} already has ${module.title} to complete`);
  }
  return {
    ok: true,
    value: memberIds.map((memberId) => ({ memberId, moduleKey: module.key, version: module.version, reason: 'MANUAL' as const, assignedAt: now, dueAt: dueDate(now, settings) })),
  };
}
