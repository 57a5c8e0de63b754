// `trainingCoverage`: per module and overall, which members are complete, due or overdue
// at `now`, with counts and the date of the figure (the evidence for CC1.4/CC2.2, A.6.3,
// DPDP s.8(5) quotes it). Pure.
import { currentVersions, type TrainingModule } from './training.model';
import { lastCompletion, renewalDate, type Assignment, type Completion, type Member } from './assignment';

/**
 * COMPLETE: the latest assignment is completed and the completion is less than a year old.
 * DUE: an assignment is open and not yet due, or the last completion is a year old and the
 * renewal is not assigned yet. OVERDUE: an open assignment past its due date. UNASSIGNED:
 * never assigned (the daily plan assigns it).
 */
export type CoverageStatus = 'COMPLETE' | 'DUE' | 'OVERDUE' | 'UNASSIGNED';

export interface MemberCoverage {
  memberId: string;
  status: CoverageStatus;
  dueAt: Date | null;
  completedAt: Date | null;
  score: number | null;
}

export interface Counts {
  total: number;
  complete: number;
  due: number;
  overdue: number;
  unassigned: number;
  /** Whole percentage complete, rounded down; 0 when there is nobody to count. */
  percentComplete: number;
}

export interface ModuleCoverage extends Counts {
  moduleKey: string;
  title: string;
  version: number;
  members: MemberCoverage[];
}

export interface Coverage {
  /** The moment the figure describes. */
  asOf: Date;
  modules: ModuleCoverage[];
  /** Per member over every module: complete only when complete in all, overdue when overdue in any. */
  overall: Counts & { members: { memberId: string; status: CoverageStatus }[] };
}

function latestAssignment(assignments: readonly Assignment[], memberId: string, key: string): Assignment | undefined {
  return assignments
    .filter((a) => a.memberId === memberId && a.moduleKey === key)
    .reduce<Assignment | undefined>((last, a) => (!last || a.assignedAt.getTime() > last.assignedAt.getTime() ? a : last), undefined);
}

function memberStatus(memberId: string, key: string, assignments: readonly Assignment[], completions: readonly Completion[], now: Date): MemberCoverage {
  const assignment = latestAssignment(assignments, memberId, key);
  const last = lastCompletion(completions, memberId, key);
  const base = { memberId, completedAt: last?.completedAt ?? null, score: last?.score ?? null };
  if (!assignment) return { ...base, status: 'UNASSIGNED', dueAt: null };
  const done = completions.some((c) => c.assignmentId === assignment.id);
  if (done && last) {
    const renewal = renewalDate(last.completedAt);
    return now.getTime() < renewal.getTime() ? { ...base, status: 'COMPLETE', dueAt: null } : { ...base, status: 'DUE', dueAt: renewal };
  }
  return { ...base, status: now.getTime() >= assignment.dueAt.getTime() ? 'OVERDUE' : 'DUE', dueAt: assignment.dueAt };
}

function count(statuses: readonly CoverageStatus[]): Counts {
  const n = (s: CoverageStatus) => statuses.filter((x) => x === s).length;
  const total = statuses.length;
  const complete = n('COMPLETE');
  return { total, complete, due: n('DUE'), overdue: n('OVERDUE'), unassigned: n('UNASSIGNED'), percentComplete: total ? Math.floor((100 * complete) / total) : 0 };
}

function overallStatus(statuses: readonly CoverageStatus[]): CoverageStatus {
  if (statuses.includes('OVERDUE')) return 'OVERDUE';
  if (statuses.length > 0 && statuses.every((s) => s === 'COMPLETE')) return 'COMPLETE';
  if (statuses.includes('DUE')) return 'DUE';
  return 'UNASSIGNED';
}

export function coverage(
  modules: readonly TrainingModule[],
  members: readonly Member[],
  assignments: readonly Assignment[],
  completions: readonly Completion[],
  now: Date,
): Coverage {
  const current = currentVersions(modules);
  const perModule = current.map((m) => {
    const rows = members.map((member) => memberStatus(member.id, m.key, assignments, completions, now));
    return { moduleKey: m.key, title: m.title, version: m.version, ...count(rows.map((r) => r.status)), members: rows };
  });
  const overallMembers = members.map((member, i) => ({ memberId: member.id, status: overallStatus(perModule.map((m) => m.members[i]?.status ?? 'UNASSIGNED')) }));
  return { asOf: now, modules: perModule, overall: { ...count(overallMembers.map((m) => m.status)), members: overallMembers } };
}
