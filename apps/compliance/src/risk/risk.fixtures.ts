// Risks for the register engine's unit specs.
import { DEFAULT_RISK_SETTINGS, type Risk } from './risk.model';

export const created = new Date('2027-01-04T09:00:00Z');
export const settings = DEFAULT_RISK_SETTINGS;

export function risk(over: Partial<Risk> = {}): Risk {
  return {
    id: 'risk-1',
    title: 'Laptop lost with customer data',
    category: 'Asset management',
    ownerId: 'ann',
    inherent: { likelihood: 3, impact: 4 },
    residual: null,
    treatment: null,
    acceptance: null,
    controlIds: [],
    createdAt: created,
    lastReviewedAt: null,
    reviewDueAt: new Date('2027-04-04T09:00:00Z'),
    closedAt: null,
    ...over,
  };
}
