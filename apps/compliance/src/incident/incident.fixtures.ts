// Incidents and settings for the engine's unit specs.
import type { Incident } from './incident.model';
import { DEFAULT_INCIDENT_SETTINGS, type IncidentSettings } from './regimes';

/** A personal data breach by a controller, after DPDP rule 7 took effect (awareness 1 Jun 2027, 10:00 IST). */
export function breach(over: Partial<Incident> = {}): Incident {
  return {
    severity: 'HIGH',
    category: 'DATA_BREACH',
    state: 'TRIAGED',
    affectedSystems: ['billing-db'],
    dataCategories: ['contact details'],
    approxRecords: 1200,
    approxPersons: 900,
    personalDataInvolved: true,
    euDataSubjects: true,
    indianDataPrincipals: true,
    peopleRisk: 'RISK',
    dataRole: 'CONTROLLER',
    customerDataAffected: true,
    awareAt: new Date('2027-06-01T10:00:00+05:30'),
    confirmedAt: null,
    containedAt: null,
    awarenessEdits: [],
    notifications: [],
    dismissal: null,
    ...over,
  };
}

export function settings(over: Partial<IncidentSettings> = {}): IncidentSettings {
  return { ...DEFAULT_INCIDENT_SETTINGS, ...over };
}
