import { describe, expect, it } from 'vitest';
import { editAwareness, type Incident, type SentNotification } from './incident.model';
import { checkNotification, obligations, recordNotification, type Obligation, type Override } from './deadlines';
import { type IncidentSettings, type RegimeId } from './regimes';
import { breach, settings } from './incident.fixtures';

const H = 3_600_000;
const aware = new Date('2027-06-01T10:00:00+05:30'); // 04:30 UTC
const after = (hours: number, from = aware) => new Date(from.getTime() + hours * H);

function all(incident: Incident, now: Date, overrides: Override[] = [], s: IncidentSettings = settings()): Obligation[] {
  const out = obligations(incident, s, overrides, now);
  if (!out.ok) throw new Error(out.reason);
  return out.value;
}
function one(id: RegimeId, incident: Incident, now: Date, overrides: Override[] = [], s?: IncidentSettings): Obligation {
  const found = all(incident, now, overrides, s).find((o) => o.regimeId === id);
  if (!found) throw new Error(`${id} does not apply`);
  return found;
}
const sent = (regimeId: RegimeId, sentAt: Date, contents: Record<string, string> = {}, reasonForDelay: string | null = null): SentNotification => ({
  regimeId, recipient: 'someone', channel: 'email', sentAt, contents, reasonForDelay,
});
const filled = (ids: string[]) => Object.fromEntries(ids.map((id) => [id, `the ${id}`]));
const ART_33_3 = ['nature', 'dataSubjectCategories', 'dataSubjectCount', 'recordCategories', 'recordCount', 'contactPoint', 'likelyConsequences', 'measures'];

describe('due times', () => {
  it('counts every clock from awareness, given in IST, as elapsed hours', () => {
    const due = Object.fromEntries(all(breach(), after(1)).map((o) => [o.regimeId, o.dueAt?.toISOString() ?? null]));
    expect(due).toEqual({
      CERT_IN: '2027-06-01T10:30:00.000Z', // 16:00 IST
      DPB_INTIMATION: '2027-06-02T04:30:00.000Z', // the 24 h "without delay" target
      DPB_DETAILED_REPORT: '2027-06-04T04:30:00.000Z', // 72 h: 10:00 IST on 4 June
      DATA_PRINCIPALS: '2027-06-02T04:30:00.000Z',
      GDPR_SUPERVISORY_AUTHORITY: '2027-06-04T04:30:00.000Z',
      CUSTOMERS: null, // waits for confirmation
      CONTAINMENT: null,
    });
  });

  it('crosses midnight and the date line between IST and UTC', () => {
    const late = breach({ awareAt: new Date('2027-06-01T23:30:00+05:30') });
    expect(one('CERT_IN', late, late.awareAt).dueAt).toEqual(new Date('2027-06-02T05:30:00+05:30'));
    expect(one('CERT_IN', late, late.awareAt).dueAt?.toISOString()).toBe('2027-06-02T00:00:00.000Z');
    const utc = breach({ awareAt: new Date('2027-12-31T21:00:00Z') });
    expect(one('GDPR_SUPERVISORY_AUTHORITY', utc, utc.awareAt).dueAt?.toISOString()).toBe('2028-01-03T21:00:00.000Z');
  });

  it('counts 72 h as elapsed time over a European clock change (last Sunday of March)', () => {
    const berlin = breach({ awareAt: new Date('2028-03-25T12:00:00Z') });
    expect(one('GDPR_SUPERVISORY_AUTHORITY', berlin, berlin.awareAt).dueAt?.toISOString()).toBe('2028-03-28T12:00:00.000Z');
  });

  it('uses the org\'s own target for "without delay"', () => {
    const s = settings({ withoutDelayHours: 12 });
    expect(one('DPB_INTIMATION', breach(), aware, [], s)).toMatchObject({ periodHours: 12, dueAt: after(12), deadline: { kind: 'WITHOUT_DELAY' } });
    expect(one('DPB_DETAILED_REPORT', breach(), aware, [], s).dueAt).toEqual(after(72));
  });

  it('starts the customer and containment clocks at confirmation, with the org\'s promised periods', () => {
    const confirmedAt = new Date('2027-06-01T18:00:00+05:30');
    const confirmed = breach({ state: 'CONFIRMED', confirmedAt });
    expect(one('CUSTOMERS', confirmed, confirmedAt)).toMatchObject({ clockStartedAt: confirmedAt, dueAt: after(72, confirmedAt), status: 'PENDING' });
    expect(one('CONTAINMENT', confirmed, confirmedAt)).toMatchObject({ dueAt: after(24, confirmedAt) });
    expect(one('CONTAINMENT', confirmed, confirmedAt, [], settings({ containmentHours: 12 })).dueAt).toEqual(after(12, confirmedAt));
    expect(one('CUSTOMERS', breach(), after(100))).toMatchObject({ clockStartedAt: null, dueAt: null, status: 'PENDING', remainingMs: null });
  });
});

describe('status at a moment', () => {
  it('pending, due soon in the last quarter, then overdue by the time past due', () => {
    expect(one('CERT_IN', breach(), after(1))).toMatchObject({ status: 'PENDING', remainingMs: 5 * H, overdueByMs: null });
    expect(one('CERT_IN', breach(), after(4.5))).toMatchObject({ status: 'DUE_SOON', remainingMs: 1.5 * H });
    expect(one('CERT_IN', breach(), after(4.4)).status).toBe('PENDING');
    expect(one('CERT_IN', breach(), after(6))).toMatchObject({ status: 'DUE_SOON', remainingMs: 0 });
    expect(one('CERT_IN', breach(), after(7))).toMatchObject({ status: 'OVERDUE', remainingMs: null, overdueByMs: 1 * H });
  });

  it('met on time, or met late by how much', () => {
    expect(one('CERT_IN', breach({ notifications: [sent('CERT_IN', after(5))] }), after(9))).toMatchObject({ status: 'MET', metAt: after(5), overdueByMs: null });
    expect(one('CERT_IN', breach({ notifications: [sent('CERT_IN', after(8)), sent('CERT_IN', after(7))] }), after(9)))
      .toMatchObject({ status: 'MET_LATE', metAt: after(7), overdueByMs: 1 * H });
  });

  it('containment is met by the contained state', () => {
    const confirmedAt = after(2);
    const contained = breach({ state: 'CONTAINED', confirmedAt, containedAt: after(20, confirmedAt) });
    expect(one('CONTAINMENT', contained, after(48))).toMatchObject({ status: 'MET', metAt: after(20, confirmedAt) });
    const slow = breach({ state: 'CONTAINED', confirmedAt, containedAt: after(30, confirmedAt) });
    expect(one('CONTAINMENT', slow, after(48))).toMatchObject({ status: 'MET_LATE', overdueByMs: 6 * H });
  });
});

describe('overrides by a person', () => {
  const by = 'user-7';

  it('refuses a waiver or an addition without a reason', () => {
    for (const kind of ['WAIVE', 'ADD'] as const) {
      for (const reason of ['', '   ']) {
        const out = obligations(breach(), settings(), [{ kind, regimeId: 'CERT_IN', reason, by, at: aware }], after(1));
        expect(out, `${kind} "${reason}"`).toMatchObject({ ok: false, field: 'reason' });
      }
    }
  });

  it('a waiver with a reason marks the obligation waived and keeps the reason', () => {
    const waiver: Override = { kind: 'WAIVE', regimeId: 'GDPR_SUPERVISORY_AUTHORITY', reason: 'The lead authority confirmed in writing no notice is needed', by, at: after(1) };
    expect(one('GDPR_SUPERVISORY_AUTHORITY', breach(), after(100), [waiver]))
      .toMatchObject({ status: 'WAIVED', waiver: { reason: waiver.reason, by }, overdueByMs: null });
  });

  it('an addition with a reason brings in a regime the rules did not apply', () => {
    const outsideEu = breach({ euDataSubjects: false });
    expect(all(outsideEu, after(1)).map((o) => o.regimeId)).not.toContain('GDPR_SUPERVISORY_AUTHORITY');
    const add: Override = { kind: 'ADD', regimeId: 'GDPR_SUPERVISORY_AUTHORITY', reason: 'Counsel: the EU subsidiary\'s customers are in scope', by, at: after(1) };
    expect(one('GDPR_SUPERVISORY_AUTHORITY', outsideEu, after(2), [add]))
      .toMatchObject({ basis: 'ADDED', because: `Added: ${add.reason}`, dueAt: after(72), status: 'PENDING' });
  });

  it('the latest decision on a regime wins', () => {
    const waive: Override = { kind: 'WAIVE', regimeId: 'CERT_IN', reason: 'Paper records, not a cyber incident', by, at: after(1) };
    const add: Override = { kind: 'ADD', regimeId: 'CERT_IN', reason: 'The files were also scanned to a share', by, at: after(2) };
    expect(one('CERT_IN', breach(), after(3), [add, waive]).status).toBe('PENDING');
    expect(one('CERT_IN', breach(), after(3), [waive]).status).toBe('WAIVED');
  });

  it('a sent notification counts even if the regime was later waived', () => {
    const waive: Override = { kind: 'WAIVE', regimeId: 'CERT_IN', reason: 'r', by, at: after(8) };
    expect(one('CERT_IN', breach({ notifications: [sent('CERT_IN', after(2))] }), after(9), [waive]).status).toBe('MET');
  });

  it('a report dismissed as not an incident owes nothing more, but keeps what was sent', () => {
    const dismissal = { reason: 'A scheduled penetration test', by, at: after(2) };
    const dismissed = breach({ state: 'CLOSED', dismissal, notifications: [sent('CERT_IN', after(1))] });
    const owed = all(dismissed, after(100));
    expect(owed.find((o) => o.regimeId === 'CERT_IN')?.status).toBe('MET');
    for (const o of owed.filter((x) => x.regimeId !== 'CERT_IN')) {
      expect(o, o.regimeId).toMatchObject({ status: 'WAIVED', waiver: { reason: 'Dismissed as not an incident: A scheduled penetration test', by } });
    }
  });

  it('extends the Board\'s 72 h only with a reason, and no other deadline', () => {
    const extend: Override = { kind: 'EXTEND', regimeId: 'DPB_DETAILED_REPORT', dueAt: after(120), reason: 'The Board allowed 120 h by letter of 3 June', by, at: after(60) };
    expect(one('DPB_DETAILED_REPORT', breach(), after(80), [extend]))
      .toMatchObject({ dueAt: after(120), status: 'PENDING', extension: { reason: extend.reason, by } });
    expect(obligations(breach(), settings(), [{ ...extend, reason: '' }], after(80))).toMatchObject({ ok: false, field: 'reason' });
    expect(obligations(breach(), settings(), [{ ...extend, regimeId: 'CERT_IN' }], after(80))).toMatchObject({ ok: false, field: 'regimeId' });
  });

  it('refuses an override dated in the future', () => {
    expect(obligations(breach(), settings(), [{ kind: 'ADD', regimeId: 'CERT_IN', reason: 'r', by, at: after(2) }], after(1)))
      .toMatchObject({ ok: false, field: 'at' });
  });
});

describe('an edited moment of awareness', () => {
  it('recomputes every clock that runs from awareness', () => {
    const now = after(3);
    const before = all(breach(), now);
    const edited = editAwareness(breach(), { awareAt: after(-5), reason: 'The alert fired at 05:00 IST', by: 'u' }, now);
    if (!edited.ok) throw new Error(edited.reason);
    const afterEdit = all(edited.value, now);
    for (const o of afterEdit) {
      const was = before.find((b) => b.regimeId === o.regimeId)!;
      if (o.clockStart === 'CONFIRMATION') expect(o.dueAt, o.regimeId).toBeNull();
      else expect(o.dueAt!.getTime() - was.dueAt!.getTime(), o.regimeId).toBe(-5 * H);
    }
    // CERT-In was 3 h in with 3 h left; from the earlier moment it is 2 h overdue.
    expect(before.find((o) => o.regimeId === 'CERT_IN')).toMatchObject({ status: 'PENDING', remainingMs: 3 * H });
    expect(afterEdit.find((o) => o.regimeId === 'CERT_IN')).toMatchObject({ status: 'OVERDUE', overdueByMs: 2 * H });
  });
});

describe('notification contents', () => {
  it('names the Art. 33(3) fields a supervisory authority notice lacks', () => {
    const { missing, unknown } = checkNotification('GDPR_SUPERVISORY_AUTHORITY', { nature: 'SQL injection', recordCount: '  ', contactPoint: 'dpo@acme.example', mesures: 'typo' });
    expect(missing.map((f) => f.id)).toEqual(['dataSubjectCategories', 'dataSubjectCount', 'recordCategories', 'recordCount', 'likelyConsequences', 'measures']);
    expect(missing.find((f) => f.id === 'measures')).toMatchObject({ ref: 'Art. 33(3)(d)', label: 'Measures taken or proposed to address the breach and mitigate its effects' });
    expect(unknown).toEqual(['mesures']);
    expect(checkNotification('GDPR_SUPERVISORY_AUTHORITY', filled(ART_33_3))).toEqual({ missing: [], unknown: [] });
  });

  it('knows the r.7(2)(b), r.7(1), CERT-In and customer fields', () => {
    expect(checkNotification('DPB_DETAILED_REPORT', {}).missing.map((f) => f.ref)).toEqual(['r.7(2)(b)(i)', 'r.7(2)(b)(ii)', 'r.7(2)(b)(iii)', 'r.7(2)(b)(iv)', 'r.7(2)(b)(v)', 'r.7(2)(b)(vi)']);
    expect(checkNotification('DATA_PRINCIPALS', {}).missing).toHaveLength(5);
    expect(checkNotification('CERT_IN', {}).missing.map((f) => f.id)).toContain('affectedSystems');
    expect(checkNotification('CUSTOMERS', {}).missing.map((f) => f.id)).toEqual(['nature', 'dataCategories', 'recordCount', 'remediation']);
  });
});

describe('recording a notification', () => {
  const now = after(100);

  it('refuses one missing required fields, naming them', () => {
    const out = recordNotification(breach(), settings(), [], sent('GDPR_SUPERVISORY_AUTHORITY', after(10), { nature: 'n' }), now);
    expect(out).toMatchObject({ ok: false, field: 'contents' });
    if (out.ok) return;
    expect(out.reason).toContain('Name and contact details of the DPO or other contact point (Art. 33(3)(b))');
    expect(out.reason).toContain('Likely consequences of the breach (Art. 33(3)(c))');
    expect(out.reason).not.toContain('Nature of the personal data breach');
  });

  it('refuses a late one without a reason for the delay, records it with one', () => {
    const late = sent('GDPR_SUPERVISORY_AUTHORITY', after(80), filled(ART_33_3));
    const refused = recordNotification(breach(), settings(), [], late, now);
    expect(refused).toMatchObject({ ok: false, field: 'reasonForDelay' });
    expect(!refused.ok && refused.reason).toContain('2027-06-04T04:30:00.000Z');
    expect(recordNotification(breach(), settings(), [], { ...late, reasonForDelay: '   ' }, now)).toMatchObject({ ok: false, field: 'reasonForDelay' });

    const recorded = recordNotification(breach(), settings(), [], { ...late, reasonForDelay: ' Forensics confirmed scope only on day 4 ' }, now);
    if (!recorded.ok) throw new Error(recorded.reason);
    expect(recorded.value.notifications.at(-1)?.reasonForDelay).toBe('Forensics confirmed scope only on day 4');
    expect(one('GDPR_SUPERVISORY_AUTHORITY', recorded.value, now)).toMatchObject({ status: 'MET_LATE', overdueByMs: 8 * H });
  });

  it('records one on time without a reason for delay', () => {
    const recorded = recordNotification(breach(), settings(), [], sent('CERT_IN', after(5), filled(['reporter', 'incidentType', 'occurredAt', 'noticedAt', 'affectedSystems', 'symptoms', 'technicalDetails', 'actionsTaken'])), now);
    if (!recorded.ok) throw new Error(recorded.reason);
    expect(one('CERT_IN', recorded.value, now).status).toBe('MET');
  });

  it('refuses one for a regime that does not apply, for containment, or dated ahead', () => {
    expect(recordNotification(breach(), settings(), [], sent('GDPR_DATA_SUBJECTS', after(5), filled(['nature', 'contactPoint', 'likelyConsequences', 'measures'])), now))
      .toMatchObject({ ok: false, field: 'regimeId' });
    expect(recordNotification(breach(), settings(), [], sent('CONTAINMENT', after(5)), now)).toMatchObject({ ok: false, field: 'regimeId' });
    expect(recordNotification(breach(), settings(), [], sent('CERT_IN', after(101)), now)).toMatchObject({ ok: false, field: 'sentAt' });
  });
});
