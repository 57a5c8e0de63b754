// The notification regimes as data: who must be told, when a regime applies, when its
// clock starts, how long it runs and what the notice must contain. Sources are named on
// each; ../shared/product/REFERENCE.md "Notification clocks" summarises them.
import { refuse, type Outcome } from '../shared/outcome';
import { isCertInType, type Incident } from './incident.model';

/** Compliance-side org settings the regimes read (stored per org later; defaults below). */
export interface IncidentSettings {
  /** The org is a service provider, intermediary, data centre, body corporate or government
   * organisation bound by the CERT-In Directions of 28 Apr 2022 (direction (ii)). */
  certInReportingEntity: boolean;
  /** The org processes personal data within India (DPDP Act s.3(a)), so DPDP applies to
   * its breaches whoever the Data Principals are. */
  processesPersonalDataInIndia: boolean;
  /** The moment DPDP Rules rule 7 takes effect; breaches the org became aware of earlier
   * carry no DPDP Board or Data Principal clock. */
  dpdpRule7InForceFrom: Date;
  /** The org's own target, in hours, for a duty the law states as "without delay" or
   * "without undue delay". */
  withoutDelayHours: number;
  /** The trust page's promises (Packets' own: 72 h customer notice, 24 h containment). */
  customerNoticeHours: number;
  containmentHours: number;
  /** An obligation is "due soon" when this fraction of its period or less remains. */
  dueSoonFraction: number;
}

/**
 * DPDP Rules 2025 (G.S.R. 846(E), published 13 Nov 2025) r.1: rules 3, 5-16, 22 and 23
 * come into force eighteen months after publication, i.e. 13 May 2027. Taken as IST
 * midnight, the earlier reading, so no breach falls between two readings unclocked.
 * An org can set another date if the government notifies one.
 */
export const DPDP_RULE_7_IN_FORCE_FROM = new Date('2027-05-13T00:00:00+05:30');
export const DPDP_RULE_7_IN_FORCE_SOURCE =
  'DPDP Rules 2025 r.1 (G.S.R. 846(E) of 13 Nov 2025): rule 7 in force eighteen months after publication';

export const DEFAULT_INCIDENT_SETTINGS: Readonly<IncidentSettings> = {
  certInReportingEntity: true,
  processesPersonalDataInIndia: true,
  dpdpRule7InForceFrom: DPDP_RULE_7_IN_FORCE_FROM,
  // "Without delay" has no number in the law; 24 h matches the trust page's containment
  // promise and leaves the DPDP stage-2 report (72 h) to follow the stage-1 intimation.
  withoutDelayHours: 24,
  customerNoticeHours: 72,
  containmentHours: 24,
  dueSoonFraction: 0.25,
};

/** Merges an org's stored settings over the defaults, refusing values no clock can use. */
export function incidentSettings(stored: Partial<IncidentSettings>): Outcome<IncidentSettings> {
  const s: IncidentSettings = { ...DEFAULT_INCIDENT_SETTINGS, ...stored };
  // A "without delay" target longer than 72 h would fall after the 72 h deadlines that follow it.
  if (!(s.withoutDelayHours > 0 && s.withoutDelayHours <= 72)) {
    return refuse('withoutDelayHours', 'The target for "without delay" must be more than 0 and at most 72 hours');
  }
  if (!(s.customerNoticeHours > 0)) return refuse('customerNoticeHours', 'The customer notice period must be more than 0 hours');
  if (!(s.containmentHours > 0)) return refuse('containmentHours', 'The containment period must be more than 0 hours');
  if (!(s.dueSoonFraction > 0 && s.dueSoonFraction < 1)) return refuse('dueSoonFraction', 'The due-soon fraction must be between 0 and 1');
  if (Number.isNaN(s.dpdpRule7InForceFrom.getTime())) return refuse('dpdpRule7InForceFrom', 'The rule 7 start date is not a valid date');
  return { ok: true, value: s };
}

export type RegimeId =
  | 'DPB_INTIMATION'
  | 'DPB_DETAILED_REPORT'
  | 'DATA_PRINCIPALS'
  | 'CERT_IN'
  | 'GDPR_SUPERVISORY_AUTHORITY'
  | 'GDPR_CONTROLLER'
  | 'GDPR_DATA_SUBJECTS'
  | 'CUSTOMERS'
  | 'CONTAINMENT';

/** Which recorded moment a clock runs from (see Incident.awareAt on noticing vs awareness). */
export type ClockStart = 'AWARENESS' | 'NOTICING' | 'CONFIRMATION';

/** A fixed period in law, "without delay" with the org's configured target, or a period
 * the org promises (its trust page), read from its settings. */
export type Deadline =
  | { kind: 'HOURS'; hours: number; extendable: boolean }
  | { kind: 'WITHOUT_DELAY'; wording: string }
  | { kind: 'PROMISE'; setting: 'customerNoticeHours' | 'containmentHours' };

export interface RequiredField {
  id: string;
  label: string;
  /** The provision that asks for it. */
  ref: string;
}

export interface Applicability {
  applies: boolean;
  because: string;
}

export interface Regime {
  id: RegimeId;
  recipient: string;
  channel: string;
  source: string;
  clockStart: ClockStart;
  deadline: Deadline;
  /** A late notice must carry a reason for the delay (the law asks for it, or we do). */
  lateNeedsReason: true;
  /** Internal duties (containment) are met by a state change, not by a notice. */
  metBy: 'NOTIFICATION' | 'CONTAINMENT';
  trigger: (incident: Incident, settings: IncidentSettings) => Applicability;
  requiredContents: readonly RequiredField[];
}

const yes = (because: string): Applicability => ({ applies: true, because });
const no = (because: string): Applicability => ({ applies: false, because });

/** DPDP r.7 duties: a personal data breach, by a Data Fiduciary under DPDP, once r.7 is in force. */
function dpdpApplies(incident: Incident, settings: IncidentSettings): Applicability {
  if (!incident.personalDataInvolved) return no('No personal data is involved (DPDP Act s.2(u))');
  if (incident.dataRole === 'PROCESSOR') return no('The org is a Data Processor for this data; the Data Fiduciary notifies (r.7)');
  if (!incident.indianDataPrincipals && !settings.processesPersonalDataInIndia) {
    return no('No Data Principals in India and no processing within India (DPDP Act s.3)');
  }
  if (incident.awareAt.getTime() < settings.dpdpRule7InForceFrom.getTime()) {
    return no(`The org became aware before rule 7 took effect (${settings.dpdpRule7InForceFrom.toISOString()})`);
  }
  return yes('A personal data breach under the DPDP Act; no size threshold (r.7)');
}

/** GDPR: a personal data breach touching people in the EU, unless unlikely to result in a risk. */
function gdprApplies(incident: Incident): Applicability {
  if (!incident.personalDataInvolved) return no('No personal data is involved (GDPR Art. 4(12))');
  if (!incident.euDataSubjects) return no('No data subjects in the EU (GDPR Art. 3)');
  if (incident.peopleRisk === 'UNLIKELY') return no('Assessed as unlikely to result in a risk to people (Art. 33(1)); record it in the register (Art. 33(5))');
  return yes('A personal data breach affecting data subjects in the EU, not assessed as unlikely to result in a risk');
}

const DESCRIPTION_R7_2_A: readonly RequiredField[] = [
  { id: 'nature', label: 'Nature of the breach', ref: 'r.7(2)(a)' },
  { id: 'extent', label: 'Extent of the breach', ref: 'r.7(2)(a)' },
  { id: 'timing', label: 'Timing of the breach', ref: 'r.7(2)(a)' },
  { id: 'location', label: 'Location of occurrence', ref: 'r.7(2)(a)' },
  { id: 'likelyImpact', label: 'Likely impact', ref: 'r.7(2)(a)' },
];

const ART_33_3: readonly RequiredField[] = [
  { id: 'nature', label: 'Nature of the personal data breach', ref: 'Art. 33(3)(a)' },
  { id: 'dataSubjectCategories', label: 'Categories of data subjects concerned', ref: 'Art. 33(3)(a)' },
  { id: 'dataSubjectCount', label: 'Approximate number of data subjects concerned', ref: 'Art. 33(3)(a)' },
  { id: 'recordCategories', label: 'Categories of personal data records concerned', ref: 'Art. 33(3)(a)' },
  { id: 'recordCount', label: 'Approximate number of personal data records concerned', ref: 'Art. 33(3)(a)' },
  { id: 'contactPoint', label: 'Name and contact details of the DPO or other contact point', ref: 'Art. 33(3)(b)' },
  { id: 'likelyConsequences', label: 'Likely consequences of the breach', ref: 'Art. 33(3)(c)' },
  { id: 'measures', label: 'Measures taken or proposed to address the breach and mitigate its effects', ref: 'Art. 33(3)(d)' },
];

export const REGIMES: readonly Regime[] = [
  {
    id: 'DPB_INTIMATION',
    recipient: 'Data Protection Board of India',
    channel: 'The Board\'s digital office',
    source: 'DPDP Act 2023 s.8(6); DPDP Rules 2025 r.7(2)(a)',
    clockStart: 'AWARENESS',
    deadline: { kind: 'WITHOUT_DELAY', wording: 'without delay' },
    lateNeedsReason: true,
    metBy: 'NOTIFICATION',
    trigger: dpdpApplies,
    requiredContents: DESCRIPTION_R7_2_A,
  },
  {
    id: 'DPB_DETAILED_REPORT',
    recipient: 'Data Protection Board of India',
    channel: 'The Board\'s digital office',
    source: 'DPDP Rules 2025 r.7(2)(b)',
    clockStart: 'AWARENESS',
    // "or within such longer period as the Board may allow on a request made in writing"
    deadline: { kind: 'HOURS', hours: 72, extendable: true },
    lateNeedsReason: true,
    metBy: 'NOTIFICATION',
    trigger: dpdpApplies,
    requiredContents: [
      { id: 'updatedDescription', label: 'Updated and detailed information on the description', ref: 'r.7(2)(b)(i)' },
      { id: 'factsAndReasons', label: 'Broad facts on the events, circumstances and reasons leading to the breach', ref: 'r.7(2)(b)(ii)' },
      { id: 'mitigation', label: 'Measures implemented or proposed to mitigate risk', ref: 'r.7(2)(b)(iii)' },
      { id: 'causeFindings', label: 'Findings regarding the person who caused the breach', ref: 'r.7(2)(b)(iv)' },
      { id: 'remedialMeasures', label: 'Remedial measures taken to prevent recurrence', ref: 'r.7(2)(b)(v)' },
      { id: 'dataPrincipalIntimations', label: 'Report on the intimations given to affected Data Principals', ref: 'r.7(2)(b)(vi)' },
    ],
  },
  {
    id: 'DATA_PRINCIPALS',
    recipient: 'Each affected Data Principal',
    channel: 'Her user account or a mode of communication she registered (r.7(1), r.7(3))',
    source: 'DPDP Act 2023 s.8(6); DPDP Rules 2025 r.7(1)',
    clockStart: 'AWARENESS',
    deadline: { kind: 'WITHOUT_DELAY', wording: 'without delay' },
    lateNeedsReason: true,
    metBy: 'NOTIFICATION',
    trigger: dpdpApplies,
    requiredContents: [
      { id: 'description', label: 'Description of the breach: nature, extent, timing and location', ref: 'r.7(1)(a)' },
      { id: 'consequences', label: 'Consequences relevant to her that are likely to arise', ref: 'r.7(1)(b)' },
      { id: 'mitigation', label: 'Measures implemented and being implemented to mitigate risk', ref: 'r.7(1)(c)' },
      { id: 'safetyMeasures', label: 'Safety measures she may take to protect her interests', ref: 'r.7(1)(d)' },
      { id: 'businessContact', label: 'Business contact of a person who can answer her queries', ref: 'r.7(1)(e)' },
    ],
  },
  {
    id: 'CERT_IN',
    recipient: 'CERT-In',
    channel: 'incident@cert-in.org.in or the CERT-In incident reporting form',
    source: 'CERT-In Directions of 28 Apr 2022 (IT Act s.70B(6)), direction (ii) and Annexure I',
    clockStart: 'NOTICING',
    deadline: { kind: 'HOURS', hours: 6, extendable: false },
    lateNeedsReason: true,
    metBy: 'NOTIFICATION',
    trigger: (incident, settings) => {
      if (!settings.certInReportingEntity) return no('The org\'s settings say it is not a CERT-In reporting entity');
      // A personal data breach is reported as Annexure I (xi)/(xii) unless someone waives
      // it with a reason (a lost paper file is not a cyber incident).
      if (incident.category === 'PERSONAL_DATA_BREACH') return yes('A personal data breach, reported as Annexure I (xi) data breach');
      if (!isCertInType(incident.category)) return no('The category is not one of the incident types of Annexure I');
      return yes('An incident type listed in Annexure I, and the org is a reporting entity');
    },
    requiredContents: [
      { id: 'reporter', label: 'Reporting organisation and point of contact (name, designation, phone, email)', ref: 'CERT-In incident reporting form; direction (iii)' },
      { id: 'incidentType', label: 'Type of incident (Annexure I item)', ref: 'Annexure I' },
      { id: 'occurredAt', label: 'Date and time of occurrence', ref: 'CERT-In incident reporting form' },
      { id: 'noticedAt', label: 'Date and time the incident was noticed or reported to the org', ref: 'direction (ii)' },
      { id: 'affectedSystems', label: 'Affected systems or network (location, addresses, hostnames)', ref: 'CERT-In incident reporting form' },
      { id: 'symptoms', label: 'Symptoms observed', ref: 'CERT-In incident reporting form' },
      { id: 'technicalDetails', label: 'Relevant technical information (security systems deployed, indicators)', ref: 'CERT-In incident reporting form' },
      { id: 'actionsTaken', label: 'Actions taken to mitigate the damage', ref: 'CERT-In incident reporting form' },
    ],
  },
  {
    id: 'GDPR_SUPERVISORY_AUTHORITY',
    recipient: 'Competent GDPR supervisory authority',
    channel: 'The authority\'s breach notification form',
    source: 'GDPR Art. 33(1), 33(3)',
    clockStart: 'AWARENESS',
    deadline: { kind: 'HOURS', hours: 72, extendable: false },
    lateNeedsReason: true,
    metBy: 'NOTIFICATION',
    trigger: (incident) => {
      if (incident.dataRole === 'PROCESSOR') return no('The org is a processor for this data; it tells its controller (Art. 33(2))');
      return gdprApplies(incident);
    },
    requiredContents: ART_33_3,
  },
  {
    id: 'GDPR_CONTROLLER',
    recipient: 'The controller of the data',
    channel: 'As the data processing agreement sets',
    source: 'GDPR Art. 33(2)',
    clockStart: 'AWARENESS',
    deadline: { kind: 'WITHOUT_DELAY', wording: 'without undue delay' },
    lateNeedsReason: true,
    metBy: 'NOTIFICATION',
    trigger: (incident) => {
      if (incident.dataRole !== 'PROCESSOR') return no('The org is the controller of this data');
      if (!incident.personalDataInvolved) return no('No personal data is involved (GDPR Art. 4(12))');
      if (!incident.euDataSubjects) return no('No data subjects in the EU (GDPR Art. 3)');
      // Art. 33(2) has no risk threshold: the processor tells the controller of every breach.
      return yes('A personal data breach in data the org processes for a controller');
    },
    // The Article names no contents; the controller needs what it must pass on.
    requiredContents: ART_33_3,
  },
  {
    id: 'GDPR_DATA_SUBJECTS',
    recipient: 'Each affected data subject',
    channel: 'Direct communication (a public notice when individual notice is disproportionate, Art. 34(3)(c))',
    source: 'GDPR Art. 34',
    clockStart: 'AWARENESS',
    deadline: { kind: 'WITHOUT_DELAY', wording: 'without undue delay' },
    lateNeedsReason: true,
    metBy: 'NOTIFICATION',
    trigger: (incident) => {
      if (incident.dataRole === 'PROCESSOR') return no('The org is a processor for this data; the controller tells the data subjects');
      const gdpr = gdprApplies(incident);
      if (!gdpr.applies) return gdpr;
      // Exemptions of Art. 34(3) (encrypted data, risk removed) are waivers with a reason.
      if (incident.peopleRisk !== 'HIGH') return no('Not assessed as likely to result in a high risk to people (Art. 34(1))');
      return yes('Likely to result in a high risk to the rights and freedoms of people (Art. 34(1))');
    },
    requiredContents: [
      { id: 'nature', label: 'Nature of the breach, in clear and plain language', ref: 'Art. 34(2)' },
      { id: 'contactPoint', label: 'Name and contact details of the DPO or other contact point', ref: 'Art. 34(2), 33(3)(b)' },
      { id: 'likelyConsequences', label: 'Likely consequences of the breach', ref: 'Art. 34(2), 33(3)(c)' },
      { id: 'measures', label: 'Measures taken or proposed to address the breach and mitigate its effects', ref: 'Art. 34(2), 33(3)(d)' },
    ],
  },
  {
    id: 'CUSTOMERS',
    recipient: 'Each affected customer, at its primary account address',
    channel: 'Email to the primary account address',
    source: 'Trust page promise ("72 hrs customer notification"); PRODUCT.md CO-8 (clock from confirmation)',
    clockStart: 'CONFIRMATION',
    deadline: { kind: 'PROMISE', setting: 'customerNoticeHours' },
    lateNeedsReason: true,
    metBy: 'NOTIFICATION',
    trigger: (incident) =>
      incident.customerDataAffected
        ? yes('Customers\' data is affected: the trust page promises notice within 72 h of confirmation')
        : no('No customer\'s data is affected'),
    requiredContents: [
      { id: 'nature', label: 'Nature of the breach', ref: 'Trust page' },
      { id: 'dataCategories', label: 'Affected data categories', ref: 'Trust page' },
      { id: 'recordCount', label: 'Record count', ref: 'Trust page' },
      { id: 'remediation', label: 'Remediation steps', ref: 'Trust page' },
    ],
  },
  {
    id: 'CONTAINMENT',
    recipient: 'The org itself (contain and assess)',
    channel: 'The incident reaching the contained state',
    source: 'Trust page promise ("24 hrs contain and assess, from discovery of a confirmed security incident")',
    clockStart: 'CONFIRMATION',
    deadline: { kind: 'PROMISE', setting: 'containmentHours' },
    lateNeedsReason: true,
    metBy: 'CONTAINMENT',
    trigger: () => yes('Every confirmed incident is contained and assessed within 24 h (trust page)'),
    requiredContents: [],
  },
];

export function regimeById(id: string): Regime | undefined {
  return REGIMES.find((r) => r.id === id);
}

/** The period in hours a regime's clock runs for this org (trust-page promises and the
 * "without delay" target come from the settings). */
export function periodHours(regime: Regime, settings: IncidentSettings): number {
  switch (regime.deadline.kind) {
    case 'HOURS':
      return regime.deadline.hours;
    case 'WITHOUT_DELAY':
      return settings.withoutDelayHours;
    case 'PROMISE':
      return settings[regime.deadline.setting];
  }
}
