// An access review campaign: DRAFT -> IN_PROGRESS -> PENDING_ACTIONS -> COMPLETED, or
// CANCELLED; the scope frozen at start with its diff and flags; one reviewer per entry;
// decisions (one at a time or all-or-nothing in bulk); the actions REVOKE and CHANGE_ROLE
// call for. Pure: the service applies the actions (removeMember's path, the escalation
// check of assignRoles) and records them here.
import { validate } from '@packets/http';
import { refuse, type Outcome } from '../shared/outcome';
import { flagsFor, type AccessReviewSettings, type Flag } from './flags';
import { checkAssignment, type ReviewerAssignment } from './reviewers';
import { diffScopes, type EntryDiff, type Snapshot, type SnapshotEntry } from './snapshot';

export const CAMPAIGN_STATES = ['DRAFT', 'IN_PROGRESS', 'PENDING_ACTIONS', 'COMPLETED', 'CANCELLED'] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];

export const TRANSITIONS: Readonly<Record<CampaignState, readonly CampaignState[]>> = {
  DRAFT: ['IN_PROGRESS', 'CANCELLED'],
  IN_PROGRESS: ['PENDING_ACTIONS', 'CANCELLED'],
  PENDING_ACTIONS: ['COMPLETED', 'CANCELLED'],
  COMPLETED: [],
  CANCELLED: [],
};

export const DECISION_KINDS = ['KEEP', 'REVOKE', 'CHANGE_ROLE', 'DEFER'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

export interface Decision {
  kind: DecisionKind;
  note: string | null;
  /** CHANGE_ROLE only: the roles the member should hold instead. */
  roleIds: string[] | null;
  by: string;
  at: Date;
}

export interface CampaignEntry {
  memberId: string;
  snapshot: SnapshotEntry;
  diff: EntryDiff;
  flags: Flag[];
  reviewerId: string;
  decision: Decision | null;
  /** REVOKE and CHANGE_ROLE, once decisions are submitted: PENDING until the service applied it. */
  action: { status: 'PENDING' | 'DONE'; by: string | null; at: Date | null } | null;
}

export interface Campaign {
  id: string;
  name: string;
  state: CampaignState;
  createdBy: string;
  createdAt: Date;
  dueAt: Date | null;
  startedAt: Date | null;
  snapshotTakenAt: Date | null;
  entries: CampaignEntry[];
  /** Members of the previous campaign's scope who are no longer members. */
  removed: EntryDiff[];
  orphanedApiKeys: Snapshot['orphanedApiKeys'];
  submittedAt: Date | null;
  completedAt: Date | null;
  cancellation: { reason: string; by: string; at: Date } | null;
}

const NAME_MAX = 200;
const NOTE_MAX = 2000;

function checkState(c: Campaign, to: CampaignState): Outcome<Campaign> | null {
  if (TRANSITIONS[c.state].includes(to)) return null;
  const next = TRANSITIONS[c.state];
  return refuse('state', `A campaign cannot move from ${c.state} to ${to}; from ${c.state} it can move to ${next.length ? next.join(' or ') : 'nothing (it is over)'}`);
}

export function draftCampaign(input: { id: string; name: string; createdBy: string; dueAt: Date | null }, now: Date): Outcome<Campaign> {
  if (!validate.isWellFormed(input.name)) return refuse('name', 'The name contains a NUL character or an unpaired surrogate');
  if (input.name.trim() === '' || input.name.length > NAME_MAX) return refuse('name', `A campaign needs a name of 1-${NAME_MAX} characters`);
  if (input.dueAt && input.dueAt.getTime() <= now.getTime()) return refuse('dueAt', 'The due date must be in the future');
  return {
    ok: true,
    value: {
      id: input.id, name: input.name.trim(), state: 'DRAFT', createdBy: input.createdBy, createdAt: now, dueAt: input.dueAt,
      startedAt: null, snapshotTakenAt: null, entries: [], removed: [], orphanedApiKeys: [], submittedAt: null, completedAt: null, cancellation: null,
    },
  };
}

/**
 * Starts the campaign on the scope frozen in `snapshot` (taken now): each entry gets its
 * diff with the previous campaign's scope, its flags and its reviewer, who is checked
 * (nobody reviews themselves; every entry has one from the pool).
 */
export function startCampaign(
  c: Campaign,
  input: { snapshot: Snapshot; previous: readonly SnapshotEntry[] | null; reviewers: ReviewerAssignment; pool: readonly string[]; settings: AccessReviewSettings },
  now: Date,
): Outcome<Campaign> {
  const bad = checkState(c, 'IN_PROGRESS');
  if (bad) return bad;
  const { snapshot } = input;
  if (snapshot.entries.length === 0) return refuse('scope', 'There is nobody to review');
  if (snapshot.takenAt.getTime() > now.getTime()) return refuse('scope', 'The scope cannot be taken after the campaign starts');
  const assigned = checkAssignment(snapshot.entries.map((e) => e.memberId), input.reviewers, input.pool);
  if (!assigned.ok) return assigned;
  const diffs = diffScopes(input.previous, snapshot.entries);
  const diffOf = new Map(diffs.map((d) => [d.memberId, d]));
  const entries = snapshot.entries.map((e): CampaignEntry => ({
    memberId: e.memberId,
    snapshot: e,
    diff: diffOf.get(e.memberId) ?? { memberId: e.memberId, change: 'NEW', rolesAdded: e.roles, rolesRemoved: [], apiKeysAdded: [], apiKeysRemoved: [] },
    flags: flagsFor(e, input.settings, snapshot.takenAt),
    reviewerId: assigned.value[e.memberId] ?? '',
    decision: null,
    action: null,
  }));
  return {
    ok: true,
    value: { ...c, state: 'IN_PROGRESS', startedAt: now, snapshotTakenAt: snapshot.takenAt, entries, removed: diffs.filter((d) => d.change === 'REMOVED'), orphanedApiKeys: snapshot.orphanedApiKeys },
  };
}

export interface DecisionInput {
  kind: DecisionKind;
  note?: string | null;
  roleIds?: readonly string[] | null;
}

/**
 * A note is required for REVOKE, CHANGE_ROLE and DEFER (why, for the evidence), and for a
 * KEEP of a flagged entry (why a dormant, MFA-less or privileged account stays). A KEEP of
 * an unflagged entry may go without one, so the common case stays quick.
 */
function checkDecision(entry: CampaignEntry, input: DecisionInput, actorId: string, at: Date, field: string): Outcome<Decision> {
  if (actorId === entry.memberId) return refuse(field, 'Nobody can review their own access');
  if (actorId !== entry.reviewerId) return refuse(field, `The review of ${entry.snapshot.name} is assigned to another reviewer`);
  const note = input.note?.trim() ?? '';
  if (input.note && !validate.isWellFormed(input.note)) return refuse('note', 'The note contains a NUL character or an unpaired surrogate');
  if (note.length > NOTE_MAX) return refuse('note', `A note is at most ${NOTE_MAX} characters`);
  if (note === '' && input.kind !== 'KEEP') return refuse('note', `${input.kind} needs a note saying why`);
  if (note === '' && entry.flags.length > 0) return refuse('note', `Keeping ${entry.snapshot.name} needs a note: the entry is flagged ${[...new Set(entry.flags.map((f) => f.code))].join(', ')}`);
  let roleIds: string[] | null = null;
  if (input.kind === 'CHANGE_ROLE') {
    const ids = [...new Set(input.roleIds ?? [])].sort();
    if (ids.length === 0) return refuse('roleIds', 'CHANGE_ROLE names the roles the member should hold');
    const current = entry.snapshot.roles.map((r) => r.id).sort();
    if (ids.join() === current.join()) return refuse('roleIds', 'These are the roles the member already holds; decide KEEP instead');
    roleIds = ids;
  } else if (input.roleIds?.length) {
    return refuse('roleIds', 'Only CHANGE_ROLE names roles');
  }
  return { ok: true, value: { kind: input.kind, note: note || null, roleIds, by: actorId, at } };
}

/** Records (or replaces) the decision on one entry while the campaign is in progress. */
export function decide(c: Campaign, memberId: string, input: DecisionInput, actorId: string, now: Date): Outcome<Campaign> {
  return decideMany(c, [memberId], input, actorId, now, 'memberId');
}

/** One decision over many entries, applied all or nothing: one refusal refuses them all. */
export function decideMany(c: Campaign, memberIds: readonly string[], input: DecisionInput, actorId: string, now: Date, field = 'memberIds'): Outcome<Campaign> {
  if (c.state !== 'IN_PROGRESS') return refuse('state', `Decisions are made while the campaign is IN_PROGRESS; it is ${c.state}`);
  if (memberIds.length === 0) return refuse(field, 'Name at least one entry');
  const decided = new Map<string, Decision>();
  for (const [i, memberId] of memberIds.entries()) {
    const at = memberIds.length === 1 && field === 'memberId' ? field : `${field}[${i}]`;
    if (decided.has(memberId)) return refuse(at, `${memberId} is named twice`);
    const entry = c.entries.find((e) => e.memberId === memberId);
    if (!entry) return refuse(at, `${memberId} is not in this campaign`);
    const d = checkDecision(entry, input, actorId, now, at);
    if (!d.ok) return d;
    decided.set(memberId, d.value);
  }
  return { ok: true, value: { ...c, entries: c.entries.map((e) => ({ ...e, decision: decided.get(e.memberId) ?? e.decision })) } };
}

/**
 * Hands an undecided entry to another reviewer while the campaign runs (the first one left,
 * or is away). The same rules as at start: from the pool, never the member themselves.
 */
export function reassignReviewer(c: Campaign, memberId: string, reviewerId: string, pool: readonly string[]): Outcome<Campaign> {
  if (c.state !== 'IN_PROGRESS') return refuse('state', `Reviewers change while the campaign is IN_PROGRESS; it is ${c.state}`);
  const entry = c.entries.find((e) => e.memberId === memberId);
  if (!entry) return refuse('memberId', `${memberId} is not in this campaign`);
  if (entry.decision) return refuse('memberId', `${entry.snapshot.name} is already decided by ${entry.decision.by}`);
  const checked = checkAssignment([memberId], { [memberId]: reviewerId }, pool);
  if (!checked.ok) return checked;
  return { ok: true, value: { ...c, entries: c.entries.map((e) => (e === entry ? { ...e, reviewerId } : e)) } };
}

const needsAction = (d: Decision | null): boolean => d?.kind === 'REVOKE' || d?.kind === 'CHANGE_ROLE';

/**
 * IN_PROGRESS -> PENDING_ACTIONS once every entry has a decision: the decisions are final,
 * and each REVOKE / CHANGE_ROLE becomes an action for the service to apply.
 */
export function submitDecisions(c: Campaign, now: Date): Outcome<Campaign> {
  const bad = checkState(c, 'PENDING_ACTIONS');
  if (bad) return bad;
  const open = c.entries.filter((e) => !e.decision);
  if (open.length) {
    const names = open.slice(0, 5).map((e) => e.snapshot.name).join(', ');
    return refuse('entries', `${open.length} of ${c.entries.length} entries have no decision yet (${names}${open.length > 5 ? ', ...' : ''})`);
  }
  return {
    ok: true,
    value: { ...c, state: 'PENDING_ACTIONS', submittedAt: now, entries: c.entries.map((e) => ({ ...e, action: needsAction(e.decision) ? { status: 'PENDING', by: null, at: null } : null })) },
  };
}

/** The entries whose REVOKE or CHANGE_ROLE the service has still to apply. */
export const pendingActions = (c: Campaign): CampaignEntry[] => c.entries.filter((e) => e.action?.status === 'PENDING');

/** Records that the service applied an entry's action (the member off-boarded, the roles changed). */
export function recordAction(c: Campaign, memberId: string, by: string, now: Date): Outcome<Campaign> {
  if (c.state !== 'PENDING_ACTIONS') return refuse('state', `Actions are recorded while the campaign is PENDING_ACTIONS; it is ${c.state}`);
  const entry = c.entries.find((e) => e.memberId === memberId);
  if (!entry) return refuse('memberId', `${memberId} is not in this campaign`);
  if (!entry.action) return refuse('memberId', `The decision on ${entry.snapshot.name} (${entry.decision?.kind ?? 'none'}) needs no action`);
  if (entry.action.status === 'DONE') return refuse('memberId', `The action on ${entry.snapshot.name} is already recorded`);
  return { ok: true, value: { ...c, entries: c.entries.map((e) => (e === entry ? { ...e, action: { status: 'DONE', by, at: now } } : e)) } };
}

/** PENDING_ACTIONS -> COMPLETED once every action is applied (every entry has its decision by then). */
export function completeCampaign(c: Campaign, now: Date): Outcome<Campaign> {
  const bad = checkState(c, 'COMPLETED');
  if (bad) return bad;
  if (c.entries.some((e) => !e.decision)) return refuse('entries', 'Every entry needs a decision before the campaign completes');
  const pending = pendingActions(c);
  if (pending.length) return refuse('entries', `${pending.length} action(s) are not applied yet: ${pending.map((e) => `${e.decision?.kind ?? ''} ${e.snapshot.name}`).join(', ')}`);
  return { ok: true, value: { ...c, state: 'COMPLETED', completedAt: now } };
}

/**
 * Cancels with a reason. Once an action has been applied the campaign can only complete:
 * what was done to someone's access must end up in the evidence.
 */
export function cancelCampaign(c: Campaign, reason: string, by: string, now: Date): Outcome<Campaign> {
  const bad = checkState(c, 'CANCELLED');
  if (bad) return bad;
  if (!validate.isWellFormed(reason) || reason.trim() === '' || reason.length > NOTE_MAX) return refuse('reason', `Cancelling needs a reason of 1-${NOTE_MAX} characters`);
  if (c.entries.some((e) => e.action?.status === 'DONE')) return refuse('state', 'Actions of this campaign are already applied; complete it instead');
  return { ok: true, value: { ...c, state: 'CANCELLED', cancellation: { reason: reason.trim(), by, at: now } } };
}
