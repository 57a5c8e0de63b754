import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TRAINING_SETTINGS,
  assignByHand,
  dueDate,
  planAssignments,
  renewalDate,
  validateSettings,
  type Assignment,
  type Completion,
} from './assignment';
import { seedModules } from './training.seed';
import { assignment, completion, member, orgStart, seeded } from './training.fixtures';

const settings = DEFAULT_TRAINING_SETTINGS;
const day = 86_400_000;
const phishing = seeded('phishing');

describe('settings', () => {
  it('defaults to a due date 30 days after assignment', () => {
    expect(dueDate(orgStart, settings).toISOString()).toBe('2027-02-03T09:00:00.000Z');
    expect(dueDate(orgStart, { ...settings, dueDays: 14 }).toISOString()).toBe('2027-01-18T09:00:00.000Z');
  });

  it('accepts the defaults and sorts reminder days, refuses what the schedule cannot honour', () => {
    expect(validateSettings({ ...settings, reminderDaysBefore: [1, 7] })).toMatchObject({ ok: true, value: { reminderDaysBefore: [7, 1] } });
    expect(validateSettings({ ...settings, dueDays: 0 })).toMatchObject({ ok: false, field: 'dueDays' });
    expect(validateSettings({ ...settings, dueDays: 366 })).toMatchObject({ ok: false, field: 'dueDays' });
    expect(validateSettings({ ...settings, dueDays: 5, reminderDaysBefore: [7] })).toMatchObject({ ok: false, field: 'reminderDaysBefore[0]' });
    expect(validateSettings({ ...settings, reminderDaysBefore: [3, 3] })).toMatchObject({ ok: false, field: 'reminderDaysBefore' });
    expect(validateSettings({ ...settings, overdueReminderEveryDays: 0 })).toMatchObject({ ok: false, field: 'overdueReminderEveryDays' });
    expect(validateSettings({ ...settings, overdueReminderLimit: 13 })).toMatchObject({ ok: false, field: 'overdueReminderLimit' });
  });

  it('renews a year later, 29 February falling back to 28 February', () => {
    expect(renewalDate(new Date('2027-03-15T10:00:00Z')).toISOString()).toBe('2028-03-15T10:00:00.000Z');
    expect(renewalDate(new Date('2028-02-29T10:00:00Z')).toISOString()).toBe('2029-02-28T10:00:00.000Z');
  });
});

describe('planAssignments', () => {
  const modules = seedModules(orgStart);

  it('assigns every seeded module on joining, due after the org setting', () => {
    const joined = new Date('2027-02-01T08:00:00Z');
    const plan = planAssignments(modules, [member('ann', joined)], [], [], { ...settings, dueDays: 14 }, joined);
    expect(plan).toHaveLength(6);
    expect(plan[0]).toEqual({ memberId: 'ann', moduleKey: 'access-control', version: 1, reason: 'JOINED', assignedAt: joined, dueAt: new Date('2027-02-15T08:00:00Z') });
  });

  it('is idempotent: nothing more while assignments are open', () => {
    const now = new Date('2027-01-05T00:00:00Z');
    const first = planAssignments([phishing], [member('ann')], [], [], settings, now);
    const saved: Assignment[] = first.map((a, i) => ({ ...a, id: `as-${i}` }));
    expect(planAssignments([phishing], [member('ann')], saved, [], settings, new Date('2027-06-01T00:00:00Z'))).toEqual([]);
  });

  it('calls a module the org added after a member joined NEW_MODULE', () => {
    const later = { ...seeded('phishing', new Date('2027-05-01T00:00:00Z')), key: 'vendor-risk' };
    const plan = planAssignments([later], [member('ann'), member('new', new Date('2027-05-02T00:00:00Z'))], [], [], settings, new Date('2027-05-02T00:00:00Z'));
    expect(plan.map((a) => `${a.memberId}:${a.reason}`)).toEqual(['ann:NEW_MODULE', 'new:JOINED']);
  });

  it('re-assigns annually from the last completion, not from the first assignment', () => {
    const a = assignment({ id: 'a1', memberId: 'ann', moduleKey: 'phishing' });
    const done: Completion[] = [completion(a, new Date('2027-01-20T10:00:00Z'))];
    expect(planAssignments([phishing], [member('ann')], [a], done, settings, new Date('2028-01-20T09:59:59Z'))).toEqual([]);
    const now = new Date('2028-01-20T10:00:00Z');
    expect(planAssignments([phishing], [member('ann')], [a], done, settings, now)).toEqual([
      { memberId: 'ann', moduleKey: 'phishing', version: 1, reason: 'ANNUAL', assignedAt: now, dueAt: new Date(now.getTime() + 30 * day) },
    ]);
  });

  it('re-assigns on a new version only when the org asked for it', () => {
    const a = assignment({ id: 'a1', memberId: 'ann', moduleKey: 'phishing' });
    const done = [completion(a, new Date('2027-01-20T10:00:00Z'))];
    const now = new Date('2027-03-01T00:00:00Z');
    const v2 = { ...phishing, version: 2, publishedAt: new Date('2027-02-15T00:00:00Z') };
    expect(planAssignments([phishing, { ...v2, reassignOnPublish: false }], [member('ann')], [a], done, settings, now)).toEqual([]);
    expect(planAssignments([phishing, { ...v2, reassignOnPublish: true }], [member('ann')], [a], done, settings, now)).toMatchObject([
      { memberId: 'ann', moduleKey: 'phishing', version: 2, reason: 'NEW_VERSION' },
    ]);
    // v2 asked, v3 (a typo fix) did not: a member who completed v1 still takes the current v3
    const v3 = { ...phishing, version: 3, publishedAt: new Date('2027-02-20T00:00:00Z') };
    expect(planAssignments([phishing, { ...v2, reassignOnPublish: true }, v3], [member('ann')], [a], done, settings, now)).toMatchObject([{ version: 3, reason: 'NEW_VERSION' }]);
    // having completed v2 already, nothing
    const a2 = assignment({ id: 'a2', memberId: 'ann', moduleKey: 'phishing', version: 2 });
    expect(planAssignments([phishing, { ...v2, reassignOnPublish: true }, v3], [member('ann')], [a, a2], [...done, completion(a2, now)], settings, now)).toEqual([]);
  });

  it('leaves an open assignment of an older version alone', () => {
    const open = assignment({ id: 'a1', memberId: 'ann', moduleKey: 'phishing' });
    const v2 = { ...phishing, version: 2, reassignOnPublish: true };
    expect(planAssignments([phishing, v2], [member('ann')], [open], [], settings, new Date('2027-03-01T00:00:00Z'))).toEqual([]);
  });
});

describe('assignByHand (assignTraining)', () => {
  const now = new Date('2027-04-01T00:00:00Z');
  const members = [member('ann'), member('bob')];

  it('assigns the named members now, MANUAL', () => {
    expect(assignByHand(phishing, ['ann', 'bob'], members, [], [], settings, now)).toMatchObject({
      ok: true,
      value: [{ memberId: 'ann', reason: 'MANUAL', assignedAt: now, dueAt: new Date(now.getTime() + 30 * day) }, { memberId: 'bob' }],
    });
  });

  it('refuses, all or nothing, an empty list, a stranger, a repeat and a member with the module open', () => {
    expect(assignByHand(phishing, [], members, [], [], settings, now)).toMatchObject({ ok: false, field: 'memberIds' });
    expect(assignByHand(phishing, ['ann', 'eve'], members, [], [], settings, now)).toMatchObject({ ok: false, field: 'memberIds[1]' });
    expect(assignByHand(phishing, ['ann', 'ann'], members, [], [], settings, now)).toMatchObject({ ok: false, field: 'memberIds[1]' });
    const open = assignment({ id: 'x', memberId: 'bob', moduleKey: 'phishing' });
    expect(assignByHand(phishing, ['ann', 'bob'], members, [open], [], settings, now)).toMatchObject({ ok: false, field: 'memberIds[1]', reason: expect.stringContaining('already has') as string });
    expect(assignByHand(phishing, ['ann', 'bob'], members, [open], [completion(open, now)], settings, now)).toMatchObject({ ok: true });
  });
});
