// Who reviews whom. Nobody reviews their own access: a self-review is refused, and so is a
// campaign in which some entry has no eligible reviewer. Who may review at all (the
// "review access" permission) is the service's check; `pool` holds those people. Pure.
import { refuse, type Outcome } from '../shared/outcome';

/** Reviewer per reviewed member id. */
export type ReviewerAssignment = Readonly<Record<string, string>>;

/**
 * Spreads the entries over the pool: each entry goes to the eligible reviewer (anyone but
 * the member) with the fewest entries so far, ties to the lowest id, so the same scope and
 * pool always give the same assignment.
 */
export function assignReviewers(memberIds: readonly string[], pool: readonly string[]): Outcome<ReviewerAssignment> {
  const reviewers = [...new Set(pool)].sort();
  if (reviewers.length === 0) return refuse('reviewerIds', 'Name at least one reviewer');
  const load = new Map(reviewers.map((r) => [r, 0]));
  const out: Record<string, string> = {};
  for (const memberId of [...memberIds].sort()) {
    const eligible = reviewers.filter((r) => r !== memberId);
    const pick = eligible.reduce<string | undefined>((best, r) => (best === undefined || (load.get(r) ?? 0) < (load.get(best) ?? 0) ? r : best), undefined);
    if (!pick) return refuse('reviewerIds', `Nobody can review ${memberId}: the only reviewer is ${memberId}, who cannot review their own access. Add another reviewer`);
    out[memberId] = pick;
    load.set(pick, (load.get(pick) ?? 0) + 1);
  }
  return { ok: true, value: out };
}

/**
 * Checks an assignment made by hand: every entry has a reviewer from the pool, nobody
 * reviews themselves, and no reviewer is named for someone outside the scope.
 */
export function checkAssignment(memberIds: readonly string[], assignment: ReviewerAssignment, pool: readonly string[]): Outcome<ReviewerAssignment> {
  const inPool = new Set(pool);
  const scope = new Set(memberIds);
  for (const memberId of Object.keys(assignment)) {
    if (!scope.has(memberId)) return refuse(`reviewers.${memberId}`, `${memberId} is not in this campaign's scope`);
  }
  for (const memberId of [...memberIds].sort()) {
    const reviewer = assignment[memberId];
    if (!reviewer) return refuse(`reviewers.${memberId}`, `${memberId} has no reviewer`);
    if (reviewer === memberId) return refuse(`reviewers.${memberId}`, 'Nobody can review their own access');
    if (!inPool.has(reviewer)) return refuse(`reviewers.${memberId}`, `${reviewer} may not review access`);
  }
  return { ok: true, value: assignment };
}
