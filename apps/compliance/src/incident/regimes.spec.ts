import { describe, expect, it } from 'vitest';
import { CERT_IN_INCIDENT_TYPES, INCIDENT_CATEGORIES } from './incident.model';
import { DPDP_RULE_7_IN_FORCE_FROM, REGIMES, incidentSettings, regimeById, type RegimeId } from './regimes';
import { breach, settings } from './incident.fixtures';

const trigger = (id: RegimeId, ...args: Parameters<(typeof REGIMES)[number]['trigger']>) => regimeById(id)!.trigger(...args);

describe('the regimes as data', () => {
  it('lists the 20 incident types of CERT-In Annexure I, items i to xx, plus personal data breach and other', () => {
    expect(CERT_IN_INCIDENT_TYPES).toHaveLength(20);
    expect(CERT_IN_INCIDENT_TYPES.map((t) => t.item)).toEqual(
      ['i', 'ii', 'iii', 'iv', 'v', 'vi', 'vii', 'viii', 'ix', 'x', 'xi', 'xii', 'xiii', 'xiv', 'xv', 'xvi', 'xvii', 'xviii', 'xix', 'xx'],
    );
    expect(new Set(INCIDENT_CATEGORIES.map((c) => c.id)).size).toBe(22);
    expect(INCIDENT_CATEGORIES.map((c) => c.id)).toContain('PERSONAL_DATA_BREACH');
  });

  it('names a source, a recipient and uniquely named contents for every regime', () => {
    expect(REGIMES.map((r) => r.id)).toEqual([
      'DPB_INTIMATION', 'DPB_DETAILED_REPORT', 'DATA_PRINCIPALS', 'CERT_IN', 'GDPR_SUPERVISORY_AUTHORITY',
      'GDPR_CONTROLLER', 'GDPR_DATA_SUBJECTS', 'CUSTOMERS', 'CONTAINMENT',
    ]);
    for (const r of REGIMES) {
      expect(r.source, r.id).not.toBe('');
      expect(r.recipient, r.id).not.toBe('');
      expect(new Set(r.requiredContents.map((f) => f.id)).size, r.id).toBe(r.requiredContents.length);
      for (const f of r.requiredContents) expect(f.label && f.ref, `${r.id}.${f.id}`).toBeTruthy();
    }
    expect(regimeById('GDPR_SUPERVISORY_AUTHORITY')!.requiredContents.map((f) => f.ref)).toEqual(
      ['Art. 33(3)(a)', 'Art. 33(3)(a)', 'Art. 33(3)(a)', 'Art. 33(3)(a)', 'Art. 33(3)(a)', 'Art. 33(3)(b)', 'Art. 33(3)(c)', 'Art. 33(3)(d)'],
    );
    expect(regimeById('DPB_DETAILED_REPORT')!.requiredContents).toHaveLength(6);
    expect(regimeById('DATA_PRINCIPALS')!.requiredContents.map((f) => f.ref)).toEqual(['r.7(1)(a)', 'r.7(1)(b)', 'r.7(1)(c)', 'r.7(1)(d)', 'r.7(1)(e)']);
  });

  it('starts DPDP rule 7 eighteen months after the Rules of 13 Nov 2025, at IST midnight', () => {
    expect(DPDP_RULE_7_IN_FORCE_FROM.toISOString()).toBe('2027-05-12T18:30:00.000Z');
  });
});

describe('DPDP: the Board (both stages) and each Data Principal', () => {
  const dpdp: RegimeId[] = ['DPB_INTIMATION', 'DPB_DETAILED_REPORT', 'DATA_PRINCIPALS'];

  it('apply to any personal data breach once rule 7 is in force, whatever its size', () => {
    for (const id of dpdp) expect(trigger(id, breach({ approxPersons: 1, approxRecords: 1 }), settings()).applies, id).toBe(true);
  });

  it('do not apply without personal data, to a Data Processor, or before rule 7 took effect', () => {
    for (const id of dpdp) {
      expect(trigger(id, breach({ personalDataInvolved: false }), settings()).applies, id).toBe(false);
      expect(trigger(id, breach({ dataRole: 'PROCESSOR' }), settings()).applies, id).toBe(false);
      expect(trigger(id, breach({ awareAt: new Date('2027-05-12T23:59:00+05:30') }), settings()).applies, id).toBe(false);
      expect(trigger(id, breach({ awareAt: new Date('2027-05-13T00:00:00+05:30') }), settings()).applies, id).toBe(true);
    }
  });

  it('follow the rule 7 date an org sets', () => {
    const early = settings({ dpdpRule7InForceFrom: new Date('2026-01-01T00:00:00Z') });
    expect(trigger('DPB_INTIMATION', breach({ awareAt: new Date('2026-06-01T00:00:00Z') }), early).applies).toBe(true);
    expect(trigger('DPB_INTIMATION', breach({ awareAt: new Date('2026-06-01T00:00:00Z') }), settings()).because).toMatch(/before rule 7/);
  });

  it('apply to processing in India without Indian Data Principals, not to neither', () => {
    expect(trigger('DPB_INTIMATION', breach({ indianDataPrincipals: false }), settings()).applies).toBe(true);
    expect(trigger('DPB_INTIMATION', breach({ indianDataPrincipals: false }), settings({ processesPersonalDataInIndia: false })).applies).toBe(false);
    expect(trigger('DPB_INTIMATION', breach({ indianDataPrincipals: true }), settings({ processesPersonalDataInIndia: false })).applies).toBe(true);
  });
});

describe('CERT-In', () => {
  it('applies to every Annexure I type when the org is a reporting entity', () => {
    for (const t of CERT_IN_INCIDENT_TYPES) {
      expect(trigger('CERT_IN', breach({ category: t.id, personalDataInvolved: false }), settings()).applies, t.id).toBe(true);
    }
  });

  it('applies to a personal data breach (as Annexure I (xi)) and not to OTHER', () => {
    expect(trigger('CERT_IN', breach({ category: 'PERSONAL_DATA_BREACH' }), settings()).applies).toBe(true);
    expect(trigger('CERT_IN', breach({ category: 'OTHER' }), settings()).applies).toBe(false);
  });

  it('does not apply when the org is not a reporting entity', () => {
    expect(trigger('CERT_IN', breach({ category: 'MALICIOUS_CODE' }), settings({ certInReportingEntity: false })).applies).toBe(false);
  });
});

describe('GDPR', () => {
  it('the supervisory authority: a breach of EU data subjects\' data unless unlikely to result in a risk', () => {
    expect(trigger('GDPR_SUPERVISORY_AUTHORITY', breach(), settings()).applies).toBe(true);
    expect(trigger('GDPR_SUPERVISORY_AUTHORITY', breach({ peopleRisk: 'UNASSESSED' }), settings()).applies).toBe(true);
    expect(trigger('GDPR_SUPERVISORY_AUTHORITY', breach({ peopleRisk: 'UNLIKELY' }), settings()).applies).toBe(false);
    expect(trigger('GDPR_SUPERVISORY_AUTHORITY', breach({ euDataSubjects: false }), settings()).applies).toBe(false);
    expect(trigger('GDPR_SUPERVISORY_AUTHORITY', breach({ personalDataInvolved: false }), settings()).applies).toBe(false);
    expect(trigger('GDPR_SUPERVISORY_AUTHORITY', breach({ dataRole: 'PROCESSOR' }), settings()).applies).toBe(false);
  });

  it('a processor tells its controller of every breach of EU data, whatever the risk', () => {
    expect(trigger('GDPR_CONTROLLER', breach({ dataRole: 'PROCESSOR', peopleRisk: 'UNLIKELY' }), settings()).applies).toBe(true);
    expect(trigger('GDPR_CONTROLLER', breach({ dataRole: 'PROCESSOR', euDataSubjects: false }), settings()).applies).toBe(false);
    expect(trigger('GDPR_CONTROLLER', breach(), settings()).applies).toBe(false);
  });

  it('the data subjects: only when the risk is high', () => {
    expect(trigger('GDPR_DATA_SUBJECTS', breach({ peopleRisk: 'HIGH' }), settings()).applies).toBe(true);
    expect(trigger('GDPR_DATA_SUBJECTS', breach({ peopleRisk: 'RISK' }), settings()).applies).toBe(false);
    expect(trigger('GDPR_DATA_SUBJECTS', breach({ peopleRisk: 'HIGH', euDataSubjects: false }), settings()).applies).toBe(false);
    expect(trigger('GDPR_DATA_SUBJECTS', breach({ peopleRisk: 'HIGH', dataRole: 'PROCESSOR' }), settings()).applies).toBe(false);
  });
});

describe('the trust page\'s promises', () => {
  it('customers are told when their data is affected', () => {
    expect(trigger('CUSTOMERS', breach(), settings()).applies).toBe(true);
    expect(trigger('CUSTOMERS', breach({ customerDataAffected: false }), settings()).applies).toBe(false);
  });

  it('every incident is contained, personal data or not', () => {
    expect(trigger('CONTAINMENT', breach({ personalDataInvolved: false, category: 'OTHER', customerDataAffected: false }), settings()).applies).toBe(true);
  });
});

describe('org settings', () => {
  it('take the defaults and refuse values no clock can use', () => {
    const ok = incidentSettings({ withoutDelayHours: 12 });
    expect(ok.ok && ok.value.withoutDelayHours).toBe(12);
    expect(ok.ok && ok.value.customerNoticeHours).toBe(72);
    expect(incidentSettings({ withoutDelayHours: 0 })).toMatchObject({ ok: false, field: 'withoutDelayHours' });
    expect(incidentSettings({ withoutDelayHours: 96 })).toMatchObject({ ok: false, field: 'withoutDelayHours' });
    expect(incidentSettings({ containmentHours: -1 })).toMatchObject({ ok: false, field: 'containmentHours' });
    expect(incidentSettings({ dueSoonFraction: 1 })).toMatchObject({ ok: false, field: 'dueSoonFraction' });
    expect(incidentSettings({ dpdpRule7InForceFrom: new Date('nope') })).toMatchObject({ ok: false, field: 'dpdpRule7InForceFrom' });
  });
});
