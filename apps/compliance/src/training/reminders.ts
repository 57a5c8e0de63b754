// Which training reminders the scheduled job should send at `now`, given the ones already
// sent. Each reminder has a stable key; the job records the key with the mail it sends, so
// running the plan twice (or on two replicas) sends nothing twice.
import { DAY_MS, type Assignment, type Completion, type TrainingSettings } from './assignment';

export interface Reminder {
  /** `<assignmentId>:before-<days>` or `<assignmentId>:overdue-<n>`. */
  key: string;
  assignmentId: string;
  memberId: string;
  moduleKey: string;
  kind: 'BEFORE_DUE' | 'OVERDUE';
  /** When this reminder became due. */
  at: Date;
  dueAt: Date;
}

/** Every reminder slot of an assignment, earliest first. */
function slots(a: Assignment, settings: TrainingSettings): Reminder[] {
  const base = { assignmentId: a.id, memberId: a.memberId, moduleKey: a.moduleKey, dueAt: a.dueAt };
  const before = [...settings.reminderDaysBefore]
    .sort((x, y) => y - x)
    .map((days) => ({ ...base, key: `${a.id}:before-${days}`, kind: 'BEFORE_DUE' as const, at: new Date(a.dueAt.getTime() - days * DAY_MS) }))
    // a reminder that would come before the assignment itself is skipped
    .filter((r) => r.at.getTime() > a.assignedAt.getTime());
  const overdue = Array.from({ length: settings.overdueReminderLimit }, (_, i) => ({
    ...base,
    key: `${a.id}:overdue-${i + 1}`,
    kind: 'OVERDUE' as const,
    at: new Date(a.dueAt.getTime() + i * settings.overdueReminderEveryDays * DAY_MS),
  }));
  return [...before, ...overdue];
}

/**
 * The reminders to send now: for each open assignment, the latest slot that has come and
 * was not sent. Earlier slots missed while the job was down are not sent late (one mail,
 * not a burst); a completed assignment gets none.
 */
export function remindersDue(
  assignments: readonly Assignment[],
  completions: readonly Completion[],
  sentKeys: ReadonlySet<string>,
  settings: TrainingSettings,
  now: Date,
): Reminder[] {
  const done = new Set(completions.map((c) => c.assignmentId));
  const out: Reminder[] = [];
  for (const a of assignments) {
    if (done.has(a.id)) continue;
    const come = slots(a, settings).filter((s) => s.at.getTime() <= now.getTime());
    const latest = come[come.length - 1];
    if (latest && !sentKeys.has(latest.key)) out.push(latest);
  }
  return out;
}
