import { describe, expect, it } from 'vitest';
import { assignReviewers, checkAssignment } from './reviewers';

describe('assignReviewers', () => {
  it('spreads entries evenly and never gives anyone their own entry', () => {
    const out = assignReviewers(['ann', 'bob', 'cat', 'dan', 'eve', 'fay'], ['bob', 'ann']);
    expect(out).toEqual({ ok: true, value: { ann: 'bob', bob: 'ann', cat: 'ann', dan: 'bob', eve: 'ann', fay: 'bob' } });
  });

  it('is deterministic whatever the order of scope and pool', () => {
    const a = assignReviewers(['cat', 'ann', 'bob'], ['bob', 'ann', 'ann']);
    const b = assignReviewers(['bob', 'cat', 'ann'], ['ann', 'bob']);
    expect(a).toEqual(b);
  });

  it('refuses a campaign where some entry has no eligible reviewer, and an empty pool', () => {
    expect(assignReviewers(['ann', 'bob'], ['ann'])).toMatchObject({ ok: false, field: 'reviewerIds', reason: expect.stringContaining('Nobody can review ann') as string });
    expect(assignReviewers(['bob'], ['ann'])).toEqual({ ok: true, value: { bob: 'ann' } });
    expect(assignReviewers(['bob'], [])).toMatchObject({ ok: false, field: 'reviewerIds' });
  });
});

describe('checkAssignment', () => {
  const pool = ['ann', 'bob'];

  it('accepts a complete assignment from the pool', () => {
    expect(checkAssignment(['ann', 'cat'], { ann: 'bob', cat: 'ann' }, pool)).toMatchObject({ ok: true });
  });

  it('refuses a self-review, a missing reviewer, a reviewer outside the pool and a stranger in the assignment', () => {
    expect(checkAssignment(['ann', 'cat'], { ann: 'ann', cat: 'bob' }, pool)).toEqual({ ok: false, field: 'reviewers.ann', reason: 'Nobody can review their own access' });
    expect(checkAssignment(['ann', 'cat'], { ann: 'bob' }, pool)).toMatchObject({ ok: false, field: 'reviewers.cat' });
    expect(checkAssignment(['ann', 'cat'], { ann: 'bob', cat: 'dan' }, pool)).toMatchObject({ ok: false, field: 'reviewers.cat', reason: 'dan may not review access' });
    expect(checkAssignment(['ann'], { ann: 'bob', zed: 'ann' }, pool)).toMatchObject({ ok: false, field: 'reviewers.zed' });
  });
});
