import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING_SETTINGS } from './assignment';
import { remindersDue } from './reminders';
import { assignment, completion } from './training.fixtures';

const day = 86_400_000;
const settings = DEFAULT_TRAINING_SETTINGS; // 30 days, reminders 7 and 1 day before, overdue every 7 days, 4 at most
// assigned 4 Jan 09:00, due 3 Feb 09:00
const a = assignment({ id: 'as-1', memberId: 'ann', moduleKey: 'phishing' });
const at = (offsetDays: number) => new Date(a.dueAt.getTime() + offsetDays * day);
const keys = (now: Date, sent: string[] = []) => remindersDue([a], [], new Set(sent), settings, now).map((r) => r.key);

describe('remindersDue', () => {
  it('sends nothing before the first reminder', () => {
    expect(keys(at(-7.5))).toEqual([]);
  });

  it('sends each reminder once: 7 days before, 1 day before, then when overdue', () => {
    expect(keys(at(-7))).toEqual(['as-1:before-7']);
    expect(keys(at(-6), ['as-1:before-7'])).toEqual([]);
    expect(keys(at(-1), ['as-1:before-7'])).toEqual(['as-1:before-1']);
    expect(keys(at(0), ['as-1:before-7', 'as-1:before-1'])).toEqual(['as-1:overdue-1']);
    expect(keys(at(7), ['as-1:overdue-1'])).toEqual(['as-1:overdue-2']);
    const r = remindersDue([a], [], new Set(), settings, at(0))[0];
    expect(r).toEqual({ key: 'as-1:overdue-1', assignmentId: 'as-1', memberId: 'ann', moduleKey: 'phishing', kind: 'OVERDUE', at: a.dueAt, dueAt: a.dueAt });
  });

  it('sends only the latest reminder missed while the job was down', () => {
    expect(keys(at(-0.5))).toEqual(['as-1:before-1']);
    expect(keys(at(15))).toEqual(['as-1:overdue-3']);
  });

  it('stops after the overdue limit and sends none for a completed assignment', () => {
    const sent = ['as-1:overdue-4'];
    expect(keys(at(21))).toEqual(['as-1:overdue-4']);
    expect(keys(at(60), sent)).toEqual([]);
    expect(remindersDue([a], [completion(a, at(-2))], new Set(), settings, at(0))).toEqual([]);
    expect(remindersDue([a], [], new Set(), { ...settings, overdueReminderLimit: 0 }, at(3)).map((r) => r.key)).toEqual(['as-1:before-1']);
  });

  it('skips a reminder that would come before the assignment', () => {
    const short = assignment({ id: 'as-2', memberId: 'bob', moduleKey: 'phishing', dueAt: new Date(a.assignedAt.getTime() + 3 * day) });
    expect(remindersDue([short], [], new Set(), settings, a.assignedAt)).toEqual([]);
    expect(remindersDue([short], [], new Set(), settings, new Date(short.dueAt.getTime() - day)).map((r) => r.key)).toEqual(['as-2:before-1']);
  });
});
