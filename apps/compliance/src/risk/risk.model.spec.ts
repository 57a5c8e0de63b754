import { describe, expect, it } from 'vitest';
import { createRisk, riskBand, score, treat, validateRiskSettings, type NewRisk } from './risk.model';
import { created, risk, settings } from './risk.fixtures';

const input: NewRisk = { title: ' Laptop lost ', category: 'Assets', ownerId: 'ann', inherent: { likelihood: 3, impact: 4 }, residual: null, treatment: 'MITIGATE', controlIds: ['c1'] };

describe('scoring', () => {
  it('scores likelihood x impact and bands the residual once there is one', () => {
    expect(score({ likelihood: 3, impact: 4 })).toBe(12);
    expect(riskBand(risk(), settings)).toBe('HIGH');
    expect(riskBand(risk({ residual: { likelihood: 1, impact: 4 } }), settings)).toBe('LOW');
    expect(riskBand(risk({ inherent: { likelihood: 5, impact: 5 } }), settings)).toBe('CRITICAL');
  });
});

describe('createRisk', () => {
  it('trims the text and dates the first review by the band of the current score', () => {
    const out = createRisk(input, 'r1', settings, created);
    expect(out).toMatchObject({ ok: true, value: { id: 'r1', title: 'Laptop lost', treatment: 'MITIGATE', acceptance: null, reviewDueAt: new Date('2027-04-04T09:00:00Z') } });
    const low = createRisk({ ...input, residual: { likelihood: 1, impact: 2 } }, 'r2', settings, created);
    expect(low.ok && low.value.reviewDueAt.toISOString()).toBe('2028-01-04T09:00:00.000Z');
  });

  it.each([
    ['inherent.likelihood', { inherent: { likelihood: 0, impact: 3 } }],
    ['inherent.impact', { inherent: { likelihood: 3, impact: 6 } }],
    ['inherent.likelihood', { inherent: { likelihood: 2.5, impact: 3 } }],
    ['residual.impact', { residual: { likelihood: 1, impact: 5 } }],
    ['residual.likelihood', { residual: { likelihood: 4, impact: 1 } }],
    ['residual.likelihood', { residual: { likelihood: 0, impact: 1 } }],
    ['title', { title: '  ' }],
    ['title', { title: 'a\u0000b' }],
    ['category', { category: 'x'.repeat(101) }],
    ['treatment', { treatment: 'ACCEPT' as const }],
  ])('refuses %s (%#)', (field, over) => {
    expect(createRisk({ ...input, ...over }, 'r', settings, created)).toMatchObject({ ok: false, field });
  });
});

describe('treatments', () => {
  it('sets mitigate/transfer/avoid, ending an acceptance; ACCEPT only through acceptRisk', () => {
    const accepted = risk({ treatment: 'ACCEPT', acceptance: { reason: 'r', by: 'ann', at: created, expiresAt: created } });
    expect(treat(accepted, 'TRANSFER')).toMatchObject({ ok: true, value: { treatment: 'TRANSFER', acceptance: null } });
    expect(treat(risk(), 'ACCEPT')).toMatchObject({ ok: false, field: 'treatment' });
    expect(treat(risk({ closedAt: created }), 'AVOID')).toMatchObject({ ok: false });
  });
});

describe('settings', () => {
  it('accepts the defaults and refuses bad review intervals or acceptance lengths', () => {
    expect(validateRiskSettings(settings)).toMatchObject({ ok: true });
    expect(validateRiskSettings({ ...settings, reviewDays: { ...settings.reviewDays, HIGH: 0 } })).toMatchObject({ ok: false, field: 'reviewDays.HIGH' });
    expect(validateRiskSettings({ ...settings, reviewDays: { LOW: 365, MEDIUM: 180, HIGH: 90, CRITICAL: 120 } })).toMatchObject({ ok: false, field: 'reviewDays.CRITICAL' });
    expect(validateRiskSettings({ ...settings, maxAcceptanceDays: 0 })).toMatchObject({ ok: false, field: 'maxAcceptanceDays' });
    expect(validateRiskSettings({ ...settings, bands: settings.bands.slice(1) })).toMatchObject({ ok: false, field: 'bands' });
  });
});
