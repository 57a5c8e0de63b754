import { describe, expect, it } from 'vitest';
import { coverage } from './coverage';
import { assignment, completion, member, orgStart, seeded } from './training.fixtures';

const phishing = seeded('phishing');
const secure = seeded('secure-development');
const now = new Date('2027-02-10T00:00:00Z');

describe('coverage', () => {
  const members = [member('ann'), member('bob'), member('cat'), member('dan')];
  // ann: both complete; bob: phishing overdue (due 3 Feb), secure complete; cat: phishing due later; dan: nothing yet
  const annP = assignment({ id: 'ann-p', memberId: 'ann', moduleKey: 'phishing' });
  const annS = assignment({ id: 'ann-s', memberId: 'ann', moduleKey: 'secure-development' });
  const bobP = assignment({ id: 'bob-p', memberId: 'bob', moduleKey: 'phishing' });
  const bobS = assignment({ id: 'bob-s', memberId: 'bob', moduleKey: 'secure-development' });
  const catP = assignment({ id: 'cat-p', memberId: 'cat', moduleKey: 'phishing', assignedAt: new Date('2027-02-01T00:00:00Z') });
  const assignments = [annP, annS, bobP, bobS, catP];
  const completions = [completion(annP, new Date('2027-01-08T00:00:00Z'), 83), completion(annS, new Date('2027-01-09T00:00:00Z')), completion(bobS, new Date('2027-01-09T00:00:00Z'))];

  it('counts complete, due, overdue and unassigned per module, dated at now', () => {
    const c = coverage([phishing, secure], members, assignments, completions, now);
    expect(c.asOf).toBe(now);
    expect(c.modules.map(({ members: _m, ...counts }) => counts)).toEqual([
      { moduleKey: 'phishing', title: 'Phishing & Social Engineering', version: 1, total: 4, complete: 1, due: 1, overdue: 1, unassigned: 1, percentComplete: 25 },
      { moduleKey: 'secure-development', title: 'Secure Development', version: 1, total: 4, complete: 2, due: 0, overdue: 0, unassigned: 2, percentComplete: 50 },
    ]);
    expect(c.modules[0]?.members).toEqual([
      { memberId: 'ann', status: 'COMPLETE', dueAt: null, completedAt: new Date('2027-01-08T00:00:00Z'), score: 83 },
      { memberId: 'bob', status: 'OVERDUE', dueAt: bobP.dueAt, completedAt: null, score: null },
      { memberId: 'cat', status: 'DUE', dueAt: catP.dueAt, completedAt: null, score: null },
      { memberId: 'dan', status: 'UNASSIGNED', dueAt: null, completedAt: null, score: null },
    ]);
  });

  it('is complete overall only when complete in every module, overdue when overdue in any', () => {
    const c = coverage([phishing, secure], members, assignments, completions, now);
    expect(c.overall.members).toEqual([
      { memberId: 'ann', status: 'COMPLETE' },
      { memberId: 'bob', status: 'OVERDUE' },
      { memberId: 'cat', status: 'DUE' },
      { memberId: 'dan', status: 'UNASSIGNED' },
    ]);
    expect(c.overall).toMatchObject({ total: 4, complete: 1, due: 1, overdue: 1, unassigned: 1, percentComplete: 25 });
  });

  it('turns overdue exactly at the due date', () => {
    expect(coverage([phishing], [member('bob')], [bobP], [], new Date(bobP.dueAt.getTime() - 1)).modules[0]).toMatchObject({ due: 1, overdue: 0 });
    expect(coverage([phishing], [member('bob')], [bobP], [], bobP.dueAt).modules[0]).toMatchObject({ due: 0, overdue: 1 });
  });

  it('counts a completion a year old as due again, and an open renewal as due though the old one was passed', () => {
    const yearOn = new Date('2028-01-08T00:00:00Z');
    expect(coverage([phishing], [member('ann')], [annP], completions, yearOn).modules[0]?.members[0]).toMatchObject({ status: 'DUE', dueAt: yearOn });
    const renewal = assignment({ id: 'ann-p2', memberId: 'ann', moduleKey: 'phishing', reason: 'ANNUAL', assignedAt: yearOn });
    expect(coverage([phishing], [member('ann')], [annP, renewal], completions, yearOn).modules[0]?.members[0]).toMatchObject({ status: 'DUE', dueAt: renewal.dueAt });
  });

  it('reports on the current version and says 0% for an org without members', () => {
    const c = coverage([phishing, { ...phishing, version: 2, title: 'Phishing (2027)' }], [], [], [], now);
    expect(c.modules).toMatchObject([{ version: 2, title: 'Phishing (2027)', total: 0, percentComplete: 0 }]);
    expect(c.overall).toMatchObject({ total: 0, percentComplete: 0 });
  });

  it('starts at the org creation: everyone unassigned', () => {
    expect(coverage([phishing], members, [], [], orgStart).overall.unassigned).toBe(4);
  });
});
