import { describe, expect, it } from 'vitest';
import { completeCampaign, recordAction, submitDecisions } from './campaign';
import { EVIDENCE_COLUMNS, evidenceOf } from './evidence';
import { allDecided, now, ok, started } from './access-review.fixtures';

function completed() {
  let c = ok(submitDecisions(allDecided(), now));
  c = ok(recordAction(c, 'bob', 'ann', now));
  c = ok(recordAction(c, 'cat', 'ann', now));
  return ok(completeCampaign(c, now));
}

describe('evidenceOf', () => {
  it('gives one row per entry with scope, decision, who decided and when, and the action', () => {
    const out = evidenceOf(completed());
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    const e = out.value;
    expect(e.campaign).toEqual({
      id: 'c1', name: 'Q2 2027 access review', createdBy: 'ann',
      startedAt: '2027-04-01T09:00:00.000Z', snapshotTakenAt: '2027-04-01T09:00:00.000Z', submittedAt: now.toISOString(), completedAt: now.toISOString(),
    });
    expect(e.rows.map((r) => Object.keys(r))).toEqual(e.rows.map(() => [...EVIDENCE_COLUMNS]));
    expect(e.rows.find((r) => r.memberId === 'bob')).toEqual({
      memberId: 'bob', name: 'Bob', email: 'bob@acme.example', roles: 'Admin', apiKeys: '', lastSignInAt: '2027-03-30T09:00:00.000Z', mfaEnrolled: 'yes',
      change: 'UNCHANGED', rolesAdded: 'Admin', rolesRemoved: 'Member', flags: 'PRIVILEGED', reviewerId: 'ann',
      decision: 'CHANGE_ROLE', note: 'Admin was for the migration only', newRoleIds: 'role-member', decidedBy: 'ann', decidedAt: now.toISOString(),
      action: 'DONE', actionBy: 'ann', actionAt: now.toISOString(),
    });
    expect(e.rows.find((r) => r.memberId === 'dan')).toMatchObject({ apiKeys: 'pk_k1 (Member)', flags: 'API_KEY_NEVER_USED', decision: 'DEFER', action: '' });
    expect(e.removedMemberIds).toEqual(['eve']);
  });

  it('is refused before the campaign completes', () => {
    expect(evidenceOf(started())).toEqual({ ok: false, field: 'state', reason: 'Evidence comes from a COMPLETED campaign; this one is IN_PROGRESS' });
  });
});
