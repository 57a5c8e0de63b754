import { describe, expect, it } from 'vitest';
import {
  CAMPAIGN_STATES,
  TRANSITIONS,
  cancelCampaign,
  completeCampaign,
  decide,
  decideMany,
  draftCampaign,
  pendingActions,
  reassignReviewer,
  recordAction,
  startCampaign,
  submitDecisions,
  type Campaign,
  type CampaignState,
} from './campaign';
import { takeSnapshot } from './snapshot';
import { ADMIN, MEMBER, allDecided, created, draft, now, ok, person, pool, previous, reviewers, settings, snapshot, started, strip, takenAt } from './access-review.fixtures';

describe('campaign lifecycle', () => {
  it('drafts with a trimmed name and refuses a bad name or a past due date', () => {
    expect(draft()).toMatchObject({ state: 'DRAFT', name: 'Q2 2027 access review', entries: [] });
    expect(draftCampaign({ id: 'c', name: ' ', createdBy: 'ann', dueAt: null }, created)).toMatchObject({ ok: false, field: 'name' });
    expect(draftCampaign({ id: 'c', name: 'Q\u0000', createdBy: 'ann', dueAt: null }, created)).toMatchObject({ ok: false, field: 'name' });
    expect(draftCampaign({ id: 'c', name: 'Q2', createdBy: 'ann', dueAt: created }, created)).toMatchObject({ ok: false, field: 'dueAt' });
  });

  it('starts on the frozen scope with each entry\'s diff, flags and reviewer', () => {
    const c = started();
    expect(c).toMatchObject({ state: 'IN_PROGRESS', startedAt: takenAt, snapshotTakenAt: takenAt });
    expect(c.entries.map((e) => [e.memberId, e.diff.change, e.reviewerId, e.flags.map((f) => f.code).join('+')])).toEqual([
      ['ann', 'UNCHANGED', 'bob', 'PRIVILEGED'],
      ['bob', 'UNCHANGED', 'ann', 'PRIVILEGED'],
      ['cat', 'NEW', 'ann', 'DORMANT'],
      ['dan', 'NEW', 'bob', 'API_KEY_NEVER_USED'],
    ]);
    expect(c.entries[1]?.diff).toMatchObject({ rolesAdded: [ADMIN], rolesRemoved: [MEMBER] });
    expect(c.removed.map((d) => d.memberId)).toEqual(['eve']);
  });

  it('refuses to start with a self-review, an entry without a reviewer, an empty scope, or twice', () => {
    expect(startCampaign(draft(), { snapshot, previous, reviewers: { ...reviewers, bob: 'bob' }, pool, settings }, takenAt)).toMatchObject({ ok: false, field: 'reviewers.bob' });
    const missing = Object.fromEntries(Object.entries(reviewers).filter(([memberId]) => memberId !== 'dan'));
    expect(startCampaign(draft(), { snapshot, previous, reviewers: missing, pool, settings }, takenAt)).toMatchObject({ ok: false, field: 'reviewers.dan' });
    expect(startCampaign(draft(), { snapshot: { ...snapshot, entries: [] }, previous, reviewers: {}, pool, settings }, takenAt)).toMatchObject({ ok: false, field: 'scope' });
    expect(startCampaign(started(), { snapshot, previous, reviewers, pool, settings }, takenAt)).toMatchObject({ ok: false, field: 'state' });
    expect(startCampaign(draft(), { snapshot, previous, reviewers, pool, settings }, new Date(takenAt.getTime() - 1))).toMatchObject({ ok: false, field: 'scope' });
  });

  it('runs to COMPLETED: decisions, submission, actions applied', () => {
    let c = ok(submitDecisions(allDecided(), now));
    expect(c.state).toBe('PENDING_ACTIONS');
    expect(pendingActions(c).map((e) => `${e.memberId}:${e.decision?.kind}`)).toEqual(['bob:CHANGE_ROLE', 'cat:REVOKE']);
    expect(completeCampaign(c, now)).toMatchObject({ ok: false, field: 'entries', reason: expect.stringContaining('2 action(s)') as string });
    c = ok(recordAction(c, 'cat', 'ann', now));
    expect(recordAction(c, 'cat', 'ann', now)).toMatchObject({ ok: false, reason: expect.stringContaining('already recorded') as string });
    expect(recordAction(c, 'ann', 'ann', now)).toMatchObject({ ok: false, reason: expect.stringContaining('needs no action') as string });
    c = ok(recordAction(c, 'bob', 'ann', now));
    c = ok(completeCampaign(c, now));
    expect(c).toMatchObject({ state: 'COMPLETED', completedAt: now });
    expect(c.entries.find((e) => e.memberId === 'cat')?.action).toEqual({ status: 'DONE', by: 'ann', at: now });
  });

  it('refuses to submit while an entry has no decision, naming it', () => {
    const c = ok(decide(started(), 'ann', { kind: 'KEEP', note: 'Owner' }, 'bob', now));
    expect(submitDecisions(c, now)).toEqual({ ok: false, field: 'entries', reason: '3 of 4 entries have no decision yet (Bob, Cat, Dan)' });
  });

  it('refuses every transition not in the table', () => {
    const at: Record<CampaignState, () => Campaign> = {
      DRAFT: draft,
      IN_PROGRESS: started,
      PENDING_ACTIONS: () => ok(submitDecisions(allDecided(), now)),
      COMPLETED: () => ({ ...started(), state: 'COMPLETED' }),
      CANCELLED: () => ({ ...started(), state: 'CANCELLED' }),
    };
    const attempt: Record<CampaignState, (c: Campaign) => ReturnType<typeof submitDecisions>> = {
      DRAFT: () => ({ ok: true, value: draft() }),
      IN_PROGRESS: (c) => startCampaign(c, { snapshot, previous, reviewers, pool, settings }, now),
      PENDING_ACTIONS: (c) => submitDecisions(c, now),
      COMPLETED: (c) => completeCampaign(c, now),
      CANCELLED: (c) => cancelCampaign(c, 'reason', 'ann', now),
    };
    for (const from of CAMPAIGN_STATES) {
      for (const to of CAMPAIGN_STATES) {
        if (to === 'DRAFT' || TRANSITIONS[from].includes(to)) continue;
        expect(attempt[to](at[from]()), `${from} -> ${to}`).toMatchObject({ ok: false, field: 'state' });
      }
    }
    expect(completeCampaign(started(), now)).toEqual({ ok: false, field: 'state', reason: 'A campaign cannot move from IN_PROGRESS to COMPLETED; from IN_PROGRESS it can move to PENDING_ACTIONS or CANCELLED' });
  });

  it('cancels with a reason, but not once an action has been applied', () => {
    expect(cancelCampaign(started(), ' ', 'ann', now)).toMatchObject({ ok: false, field: 'reason' });
    expect(cancelCampaign(started(), ' Scope was wrong ', 'ann', now)).toMatchObject({ ok: true, value: { state: 'CANCELLED', cancellation: { reason: 'Scope was wrong', by: 'ann', at: now } } });
    const pending = ok(submitDecisions(allDecided(), now));
    expect(cancelCampaign(pending, 'r', 'ann', now)).toMatchObject({ ok: true });
    expect(cancelCampaign(ok(recordAction(pending, 'cat', 'ann', now)), 'r', 'ann', now)).toMatchObject({ ok: false, field: 'state' });
  });
});

describe('decisions', () => {
  it('record who decided and when, and may be replaced while in progress', () => {
    let c = ok(decide(started(), 'dan', { kind: 'DEFER', note: ' Ask his manager ' }, 'bob', now));
    expect(c.entries[3]?.decision).toEqual({ kind: 'DEFER', note: 'Ask his manager', roleIds: null, by: 'bob', at: now });
    c = ok(decide(c, 'dan', { kind: 'KEEP', note: 'Key is for the nightly export' }, 'bob', now));
    expect(c.entries[3]?.decision?.kind).toBe('KEEP');
  });

  it('refuse a self-review and a decision by someone other than the assigned reviewer', () => {
    expect(decide(started(), 'ann', { kind: 'KEEP', note: 'me' }, 'ann', now)).toEqual({ ok: false, field: 'memberId', reason: 'Nobody can review their own access' });
    expect(decide(started(), 'cat', { kind: 'REVOKE', note: 'gone' }, 'bob', now)).toMatchObject({ ok: false, field: 'memberId', reason: expect.stringContaining('another reviewer') as string });
  });

  it('need a note for REVOKE, CHANGE_ROLE and DEFER, and for keeping a flagged entry', () => {
    const c = started();
    expect(decide(c, 'cat', { kind: 'REVOKE' }, 'ann', now)).toEqual({ ok: false, field: 'note', reason: 'REVOKE needs a note saying why' });
    expect(decide(c, 'bob', { kind: 'CHANGE_ROLE', note: '  ', roleIds: ['role-member'] }, 'ann', now)).toMatchObject({ ok: false, field: 'note' });
    expect(decide(c, 'dan', { kind: 'DEFER', note: null }, 'bob', now)).toMatchObject({ ok: false, field: 'note' });
    expect(decide(c, 'cat', { kind: 'KEEP' }, 'ann', now)).toMatchObject({ ok: false, field: 'note', reason: expect.stringContaining('flagged DORMANT') as string });
    expect(decide(c, 'cat', { kind: 'KEEP', note: 'On parental leave' }, 'ann', now)).toMatchObject({ ok: true });
    expect(decide(c, 'cat', { kind: 'KEEP', note: 'x\ud800' }, 'ann', now)).toMatchObject({ ok: false, field: 'note' });
    const unflagged = ok(startCampaign(draft(), { snapshot: takeSnapshot([strip(person('dan'))], [], takenAt), previous: null, reviewers: { dan: 'bob' }, pool, settings }, takenAt));
    expect(decide(unflagged, 'dan', { kind: 'KEEP' }, 'bob', now)).toMatchObject({ ok: true, value: { entries: [{ decision: { kind: 'KEEP', note: null } }] } });
  });

  it('check CHANGE_ROLE\'s roles', () => {
    const c = started();
    expect(decide(c, 'bob', { kind: 'CHANGE_ROLE', note: 'n' }, 'ann', now)).toMatchObject({ ok: false, field: 'roleIds' });
    expect(decide(c, 'bob', { kind: 'CHANGE_ROLE', note: 'n', roleIds: ['role-admin'] }, 'ann', now)).toMatchObject({ ok: false, field: 'roleIds', reason: expect.stringContaining('already holds') as string });
    expect(decide(c, 'cat', { kind: 'REVOKE', note: 'n', roleIds: ['role-admin'] }, 'ann', now)).toMatchObject({ ok: false, field: 'roleIds' });
    const changed = ok(decide(c, 'bob', { kind: 'CHANGE_ROLE', note: 'n', roleIds: ['role-member', 'role-member'] }, 'ann', now));
    expect(changed.entries[1]?.decision).toMatchObject({ kind: 'CHANGE_ROLE', roleIds: ['role-member'] });
  });

  it('move to another reviewer while undecided, never to the member, and only from the pool', () => {
    const c = ok(reassignReviewer(started(), 'cat', 'bob', pool));
    expect(c.entries.find((e) => e.memberId === 'cat')?.reviewerId).toBe('bob');
    expect(decide(c, 'cat', { kind: 'REVOKE', note: 'Left' }, 'bob', now)).toMatchObject({ ok: true });
    expect(reassignReviewer(started(), 'bob', 'bob', pool)).toMatchObject({ ok: false, reason: 'Nobody can review their own access' });
    expect(reassignReviewer(started(), 'cat', 'dan', pool)).toMatchObject({ ok: false, reason: 'dan may not review access' });
    expect(reassignReviewer(allDecided(), 'cat', 'bob', pool)).toMatchObject({ ok: false, field: 'memberId', reason: expect.stringContaining('already decided') as string });
    expect(reassignReviewer(draft(), 'cat', 'bob', pool)).toMatchObject({ ok: false, field: 'state' });
  });

  it('are refused outside IN_PROGRESS', () => {
    expect(decide(draft(), 'ann', { kind: 'KEEP', note: 'n' }, 'bob', now)).toMatchObject({ ok: false, field: 'state' });
    expect(decide(ok(submitDecisions(allDecided(), now)), 'ann', { kind: 'KEEP', note: 'n' }, 'bob', now)).toMatchObject({ ok: false, field: 'state' });
  });

  it('in bulk apply all or nothing', () => {
    const c = started();
    const both = ok(decideMany(c, ['bob', 'cat'], { kind: 'KEEP', note: 'Checked with their managers' }, 'ann', now));
    expect(both.entries.map((e) => e.decision?.kind ?? null)).toEqual([null, 'KEEP', 'KEEP', null]);
    // dan is bob's to review, so ann's bulk decision over bob, cat and dan changes nothing
    const refused = decideMany(c, ['bob', 'cat', 'dan'], { kind: 'KEEP', note: 'ok' }, 'ann', now);
    expect(refused).toMatchObject({ ok: false, field: 'memberIds[2]' });
    expect(c.entries.every((e) => e.decision === null)).toBe(true);
    expect(decideMany(c, ['bob', 'bob'], { kind: 'KEEP', note: 'ok' }, 'ann', now)).toMatchObject({ ok: false, field: 'memberIds[1]' });
    expect(decideMany(c, ['bob', 'zed'], { kind: 'KEEP', note: 'ok' }, 'ann', now)).toMatchObject({ ok: false, field: 'memberIds[1]' });
    expect(decideMany(c, [], { kind: 'KEEP', note: 'ok' }, 'ann', now)).toMatchObject({ ok: false, field: 'memberIds' });
  });
});
