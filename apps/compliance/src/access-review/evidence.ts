// What a completed campaign's evidence package says: the frozen scope, each decision, who
// decided and when, and what was done. One flat row per entry in a fixed column order, so
// the JSON and CSV exports (signed by the service) carry the same facts. Pure.
import { refuse, type Outcome } from '../shared/outcome';
import type { Campaign } from './campaign';

export const EVIDENCE_COLUMNS = [
  'memberId', 'name', 'email', 'roles', 'apiKeys', 'lastSignInAt', 'mfaEnrolled', 'change', 'rolesAdded', 'rolesRemoved',
  'flags', 'reviewerId', 'decision', 'note', 'newRoleIds', 'decidedBy', 'decidedAt', 'action', 'actionBy', 'actionAt',
] as const;

export type EvidenceRow = Record<(typeof EVIDENCE_COLUMNS)[number], string>;

export interface Evidence {
  campaign: { id: string; name: string; createdBy: string; startedAt: string; snapshotTakenAt: string; submittedAt: string; completedAt: string };
  rows: EvidenceRow[];
  /** Members of the previous scope no longer in the org, and live keys nobody answers for. */
  removedMemberIds: string[];
  orphanedApiKeys: { id: string; name: string; prefix: string; role: string }[];
}

const iso = (d: Date | null | undefined): string => d?.toISOString() ?? '';
const list = (xs: readonly string[]): string => xs.join('; ');

/** The evidence of a COMPLETED campaign; a campaign in any other state has none yet. */
export function evidenceOf(c: Campaign): Outcome<Evidence> {
  if (c.state !== 'COMPLETED') return refuse('state', `Evidence comes from a COMPLETED campaign; this one is ${c.state}`);
  const rows = c.entries.map((e): EvidenceRow => ({
    memberId: e.memberId,
    name: e.snapshot.name,
    email: e.snapshot.email,
    roles: list(e.snapshot.roles.map((r) => r.name)),
    apiKeys: list(e.snapshot.apiKeys.map((k) => `${k.prefix} (${k.role.name})`)),
    lastSignInAt: iso(e.snapshot.lastSignInAt),
    mfaEnrolled: e.snapshot.mfaEnrolled ? 'yes' : 'no',
    change: e.diff.change,
    rolesAdded: list(e.diff.rolesAdded.map((r) => r.name)),
    rolesRemoved: list(e.diff.rolesRemoved.map((r) => r.name)),
    flags: list([...new Set(e.flags.map((f) => f.code))]),
    reviewerId: e.reviewerId,
    decision: e.decision?.kind ?? '',
    note: e.decision?.note ?? '',
    newRoleIds: list(e.decision?.roleIds ?? []),
    decidedBy: e.decision?.by ?? '',
    decidedAt: iso(e.decision?.at),
    action: e.action?.status ?? '',
    actionBy: e.action?.by ?? '',
    actionAt: iso(e.action?.at),
  }));
  return {
    ok: true,
    value: {
      campaign: { id: c.id, name: c.name, createdBy: c.createdBy, startedAt: iso(c.startedAt), snapshotTakenAt: iso(c.snapshotTakenAt), submittedAt: iso(c.submittedAt), completedAt: iso(c.completedAt) },
      rows,
      removedMemberIds: c.removed.map((d) => d.memberId),
      orphanedApiKeys: c.orphanedApiKeys.map((k) => ({ id: k.id, name: k.name, prefix: k.prefix, role: k.role.name })),
    },
  };
}
