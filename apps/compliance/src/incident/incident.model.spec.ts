import { describe, expect, it } from 'vitest';
import { INCIDENT_STATES, TRANSITIONS, editAwareness, transition, type Incident, type IncidentState } from './incident.model';
import { breach } from './incident.fixtures';

const now = new Date('2027-06-02T00:00:00Z');
const at = new Date('2027-06-01T12:00:00Z');
const by = 'user-1';

function moved(incident: Incident, to: IncidentState, when = at, reason?: string): Incident {
  const out = transition(incident, to, { at: when, now, by, reason });
  if (!out.ok) throw new Error(out.reason);
  return out.value;
}

describe('incident lifecycle', () => {
  it('runs reported -> triaged -> confirmed -> contained -> resolved -> closed, recording confirmation and containment', () => {
    let i = breach({ state: 'REPORTED' });
    i = moved(i, 'TRIAGED');
    i = moved(i, 'CONFIRMED', new Date('2027-06-01T12:00:00Z'));
    expect(i.confirmedAt?.toISOString()).toBe('2027-06-01T12:00:00.000Z');
    i = moved(i, 'CONTAINED', new Date('2027-06-01T20:00:00Z'));
    expect(i.containedAt?.toISOString()).toBe('2027-06-01T20:00:00.000Z');
    i = moved(i, 'RESOLVED');
    i = moved(i, 'CLOSED');
    expect(i.state).toBe('CLOSED');
  });

  it('refuses every transition not in the table, naming where it can go', () => {
    for (const from of INCIDENT_STATES) {
      for (const to of INCIDENT_STATES) {
        if (TRANSITIONS[from].includes(to)) continue;
        const out = transition(breach({ state: from }), to, { at, now, by, reason: 'r' });
        expect(out.ok, `${from} -> ${to}`).toBe(false);
        if (!out.ok) expect(out).toMatchObject({ field: 'state', reason: expect.stringContaining(`from ${from} to ${to}`) as string });
      }
    }
    const skip = transition(breach({ state: 'REPORTED' }), 'CONFIRMED', { at, now, by });
    expect(skip).toEqual({ ok: false, field: 'state', reason: 'An incident cannot move from REPORTED to CONFIRMED; from REPORTED it can move to TRIAGED' });
    const closed = transition(breach({ state: 'CLOSED' }), 'TRIAGED', { at, now, by });
    expect(!closed.ok && closed.reason).toMatch(/nothing \(the incident is closed\)/);
  });

  it('dismisses a triaged report only with a reason', () => {
    expect(transition(breach(), 'CLOSED', { at, now, by })).toMatchObject({ ok: false, field: 'reason' });
    expect(transition(breach(), 'CLOSED', { at, now, by, reason: '  ' })).toMatchObject({ ok: false, field: 'reason' });
    const dismissed = moved(breach(), 'CLOSED', at, ' A scheduled penetration test, not an attack ');
    expect(dismissed).toMatchObject({ state: 'CLOSED', dismissal: { reason: 'A scheduled penetration test, not an attack', by, at } });
    expect(moved(breach({ state: 'RESOLVED' }), 'CLOSED').dismissal).toBeNull();
  });

  it('refuses a state change dated in the future, before awareness, or containment before confirmation', () => {
    expect(transition(breach(), 'CONFIRMED', { at: new Date(now.getTime() + 1), now, by })).toMatchObject({ ok: false, field: 'at' });
    expect(transition(breach(), 'CONFIRMED', { at: new Date('2027-05-31T00:00:00Z'), now, by })).toMatchObject({ ok: false, field: 'at' });
    const confirmed = moved(breach(), 'CONFIRMED', new Date('2027-06-01T12:00:00Z'));
    expect(transition(confirmed, 'CONTAINED', { at: new Date('2027-06-01T11:00:00Z'), now, by })).toMatchObject({ ok: false, field: 'at' });
  });
});

describe('editing the moment of awareness', () => {
  it('keeps the old moment, the reason and who changed it', () => {
    const out = editAwareness(breach(), { awareAt: new Date('2027-06-01T02:00:00Z'), reason: ' The SOC ticket shows an earlier alert ', by: 'user-1' }, now);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.value.awareAt.toISOString()).toBe('2027-06-01T02:00:00.000Z');
    expect(out.value.awarenessEdits).toEqual([
      { from: new Date('2027-06-01T10:00:00+05:30'), to: new Date('2027-06-01T02:00:00Z'), reason: 'The SOC ticket shows an earlier alert', by: 'user-1', at: now },
    ]);
  });

  it('refuses an edit without a reason, in the future, or after the org acted on the incident', () => {
    expect(editAwareness(breach(), { awareAt: new Date('2027-06-01T02:00:00Z'), reason: '', by: 'u' }, now)).toMatchObject({ ok: false, field: 'reason' });
    expect(editAwareness(breach(), { awareAt: new Date('2027-06-03T00:00:00Z'), reason: 'r', by: 'u' }, now)).toMatchObject({ ok: false, field: 'awareAt' });
    const confirmed = breach({ state: 'CONFIRMED', confirmedAt: new Date('2027-06-01T06:00:00Z') });
    expect(editAwareness(confirmed, { awareAt: new Date('2027-06-01T07:00:00Z'), reason: 'r', by: 'u' }, now)).toMatchObject({ ok: false, field: 'awareAt' });
  });
});
