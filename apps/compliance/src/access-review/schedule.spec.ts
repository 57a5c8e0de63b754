import { describe, expect, it } from 'vitest';
import { DEFAULT_REVIEW_SCHEDULE, campaignDueAt, nextRuns, runDue, validateSchedule } from './schedule';

const s = DEFAULT_REVIEW_SCHEDULE; // 1 Jan / Apr / Jul / Oct, 09:00 UTC, 14 days
const iso = (ds: Date[]) => ds.map((d) => d.toISOString());

describe('quarterly schedule', () => {
  it('gives the next four run dates strictly after a moment', () => {
    expect(iso(nextRuns(s, new Date('2027-02-10T00:00:00Z')))).toEqual(['2027-04-01T09:00:00.000Z', '2027-07-01T09:00:00.000Z', '2027-10-01T09:00:00.000Z', '2028-01-01T09:00:00.000Z']);
    expect(iso(nextRuns(s, new Date('2027-04-01T09:00:00Z'), 1))).toEqual(['2027-07-01T09:00:00.000Z']);
    expect(nextRuns(s, new Date('2027-12-31T00:00:00Z'), 9)).toHaveLength(9);
  });

  it('follows the org\'s anchor month, day and hour', () => {
    const mine = { ...s, anchorMonth: 11, dayOfMonth: 15, hourUtc: 4 };
    expect(iso(nextRuns(mine, new Date('2027-01-01T00:00:00Z'), 4))).toEqual(['2027-02-15T04:00:00.000Z', '2027-05-15T04:00:00.000Z', '2027-08-15T04:00:00.000Z', '2027-11-15T04:00:00.000Z']);
    expect(nextRuns({ ...s, enabled: false }, new Date('2027-01-01T00:00:00Z'))).toEqual([]);
  });

  it('says which run is due, once, collapsing missed runs into the latest', () => {
    const since = new Date('2027-01-01T09:00:00Z');
    expect(runDue(s, since, new Date('2027-03-31T23:00:00Z'))).toBeNull();
    expect(runDue(s, since, new Date('2027-04-01T09:00:00Z'))?.toISOString()).toBe('2027-04-01T09:00:00.000Z');
    expect(runDue(s, new Date('2027-04-01T09:00:00Z'), new Date('2027-04-02T00:00:00Z'))).toBeNull();
    expect(runDue(s, since, new Date('2028-02-01T00:00:00Z'))?.toISOString()).toBe('2028-01-01T09:00:00.000Z');
    expect(runDue({ ...s, enabled: false }, since, new Date('2028-02-01T00:00:00Z'))).toBeNull();
  });

  it('dates a scheduled campaign\'s due date and validates the schedule', () => {
    expect(campaignDueAt(s, new Date('2027-04-01T09:00:00Z')).toISOString()).toBe('2027-04-15T09:00:00.000Z');
    expect(validateSchedule(s)).toMatchObject({ ok: true });
    expect(validateSchedule({ ...s, anchorMonth: 13 })).toMatchObject({ ok: false, field: 'anchorMonth' });
    expect(validateSchedule({ ...s, dayOfMonth: 29 })).toMatchObject({ ok: false, field: 'dayOfMonth' });
    expect(validateSchedule({ ...s, hourUtc: 24 })).toMatchObject({ ok: false, field: 'hourUtc' });
    expect(validateSchedule({ ...s, campaignDays: 0 })).toMatchObject({ ok: false, field: 'campaignDays' });
  });
});
