// The incident as the deadline engine sees it: the facts that decide which notification
// regimes apply, the moments their clocks start from, and the lifecycle. Pure data and
// functions; the entity, inputs and service come later and map onto these.

import { refuse, type Outcome } from '../shared/outcome';

/** The 20 incident types CERT-In must be told of within 6 hours. */
export const CERT_IN_INCIDENT_TYPES_SOURCE =
  'CERT-In Directions No. 20(3)/2022-CERT-In of 28 April 2022 under section 70B(6) of the IT Act 2000, Annexure I';

export const CERT_IN_INCIDENT_TYPES = [
  { id: 'TARGETED_SCANNING', item: 'i', label: 'Targeted scanning/probing of critical networks/systems' },
  { id: 'CRITICAL_SYSTEM_COMPROMISE', item: 'ii', label: 'Compromise of critical systems/information' },
  { id: 'UNAUTHORISED_ACCESS', item: 'iii', label: 'Unauthorised access of IT systems/data' },
  { id: 'WEBSITE_DEFACEMENT', item: 'iv', label: 'Defacement of website or intrusion into a website and unauthorised changes such as inserting malicious code, links to external websites' },
  { id: 'MALICIOUS_CODE', item: 'v', label: 'Malicious code attacks such as spreading of virus/worm/Trojan/bots/spyware/ransomware/cryptominers' },
  { id: 'SERVER_OR_NETWORK_DEVICE_ATTACK', item: 'vi', label: 'Attack on servers such as database, mail and DNS and network devices such as routers' },
  { id: 'IDENTITY_THEFT_SPOOFING_PHISHING', item: 'vii', label: 'Identity theft, spoofing and phishing attacks' },
  { id: 'DENIAL_OF_SERVICE', item: 'viii', label: 'Denial of Service (DoS) and Distributed Denial of Service (DDoS) attacks' },
  { id: 'CRITICAL_INFRASTRUCTURE_ATTACK', item: 'ix', label: 'Attacks on critical infrastructure, SCADA and operational technology systems and wireless networks' },
  { id: 'APPLICATION_ATTACK', item: 'x', label: 'Attacks on applications such as e-governance, e-commerce' },
  { id: 'DATA_BREACH', item: 'xi', label: 'Data breach' },
  { id: 'DATA_LEAK', item: 'xii', label: 'Data leak' },
  { id: 'IOT_ATTACK', item: 'xiii', label: 'Attacks on Internet of Things (IoT) devices and associated systems, networks, software, servers' },
  { id: 'DIGITAL_PAYMENT_ATTACK', item: 'xiv', label: 'Attacks or incidents affecting digital payment systems' },
  { id: 'MALICIOUS_MOBILE_APP', item: 'xv', label: 'Attacks through malicious mobile apps' },
  { id: 'FAKE_MOBILE_APP', item: 'xvi', label: 'Fake mobile apps' },
  { id: 'SOCIAL_MEDIA_ACCOUNT_ACCESS', item: 'xvii', label: 'Unauthorised access to social media accounts' },
  { id: 'CLOUD_ATTACK', item: 'xviii', label: 'Attacks or malicious/suspicious activities affecting cloud computing systems/servers/software/applications' },
  { id: 'EMERGING_TECH_ATTACK', item: 'xix', label: 'Attacks or malicious/suspicious activities affecting systems/servers/networks/software/applications related to Big Data, blockchain, virtual assets, virtual asset exchanges, custodian wallets, robotics, 3D and 4D printing, additive manufacturing, drones' },
  { id: 'AI_ML_ATTACK', item: 'xx', label: 'Attacks or malicious/suspicious activities affecting systems/servers/software/applications related to artificial intelligence and machine learning' },
] as const;

export type CertInIncidentType = (typeof CERT_IN_INCIDENT_TYPES)[number]['id'];

/**
 * Categories beyond Annexure I: a personal data breach in the sense of DPDP Act s.2(u) /
 * GDPR Art. 4(12) (which may involve no cyber attack: a misdirected mail, a lost laptop),
 * and OTHER for an incident that is none of the listed types.
 */
export const OTHER_CATEGORIES = [
  { id: 'PERSONAL_DATA_BREACH', label: 'Personal data breach (DPDP Act s.2(u), GDPR Art. 4(12))' },
  { id: 'OTHER', label: 'Other (not a type listed in CERT-In Annexure I)' },
] as const;

export type IncidentCategory = CertInIncidentType | (typeof OTHER_CATEGORIES)[number]['id'];

export const INCIDENT_CATEGORIES: readonly { id: IncidentCategory; label: string }[] = [
  ...CERT_IN_INCIDENT_TYPES,
  ...OTHER_CATEGORIES,
];

const certInIds: ReadonlySet<string> = new Set(CERT_IN_INCIDENT_TYPES.map((t) => t.id));
export const isCertInType = (category: IncidentCategory): category is CertInIncidentType => certInIds.has(category);

export const SEVERITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * The likely risk to the people whose data it is (GDPR Art. 33(1): no notice when
 * "unlikely to result in a risk"; Art. 34(1): data subjects told when "likely to result
 * in a high risk"). UNASSESSED counts as a risk until someone assesses it.
 */
export type PeopleRisk = 'UNASSESSED' | 'UNLIKELY' | 'RISK' | 'HIGH';

/**
 * Whose data it is: as CONTROLLER (GDPR) / Data Fiduciary (DPDP) the org notifies the
 * authorities and the people; as PROCESSOR / Data Processor it tells its controller
 * (GDPR Art. 33(2)), and the customer notice covers the contractual duty.
 */
export type DataRole = 'CONTROLLER' | 'PROCESSOR';

export const INCIDENT_STATES = ['REPORTED', 'TRIAGED', 'CONFIRMED', 'CONTAINED', 'RESOLVED', 'CLOSED'] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

/** A notification already sent, as recorded (recipient, channel, time, contents). */
export interface SentNotification {
  regimeId: string;
  recipient: string;
  channel: string;
  sentAt: Date;
  contents: Readonly<Record<string, string>>;
  reasonForDelay: string | null;
}

export interface AwarenessEdit {
  from: Date;
  to: Date;
  reason: string;
  by: string;
  at: Date;
}

export interface Incident {
  severity: Severity;
  category: IncidentCategory;
  state: IncidentState;
  affectedSystems: readonly string[];
  dataCategories: readonly string[];
  approxRecords: number | null;
  approxPersons: number | null;
  personalDataInvolved: boolean;
  euDataSubjects: boolean;
  indianDataPrincipals: boolean;
  peopleRisk: PeopleRisk;
  dataRole: DataRole;
  /** The org's customers' data is among what was affected (the trust page's 72 h notice). */
  customerDataAffected: boolean;
  /**
   * When the org first noticed or was told of the incident. One moment serves as both
   * CERT-In's "noticing" and DPDP/GDPR "becoming aware": recording the earliest moment
   * never makes a deadline later than the law's.
   */
  awareAt: Date;
  confirmedAt: Date | null;
  containedAt: Date | null;
  awarenessEdits: readonly AwarenessEdit[];
  notifications: readonly SentNotification[];
  /** Set when a triaged report is closed as not an incident; its clocks stop owing. */
  dismissal: { reason: string; by: string; at: Date } | null;
}

/** The lifecycle; TRIAGED -> CLOSED dismisses a report that proved not to be an incident. */
export const TRANSITIONS: Readonly<Record<IncidentState, readonly IncidentState[]>> = {
  REPORTED: ['TRIAGED'],
  TRIAGED: ['CONFIRMED', 'CLOSED'],
  CONFIRMED: ['CONTAINED'],
  CONTAINED: ['RESOLVED'],
  RESOLVED: ['CLOSED'],
  CLOSED: [],
};

const blank = (s: string | null | undefined): boolean => !s || s.trim() === '';

/**
 * Moves the incident to `to` at `at` (the moment it happened, which may be earlier than
 * `now`, never later). Confirmation and containment record their moments: the customer
 * and containment clocks run from confirmation. Dismissing a triaged report needs a
 * reason, kept with who dismissed it.
 */
export function transition(
  incident: Incident,
  to: IncidentState,
  opts: { at: Date; now: Date; by: string; reason?: string },
): Outcome<Incident> {
  const allowed = TRANSITIONS[incident.state];
  if (!allowed.includes(to)) {
    const next = allowed.length ? allowed.join(' or ') : 'nothing (the incident is closed)';
    return refuse('state', `An incident cannot move from ${incident.state} to ${to}; from ${incident.state} it can move to ${next}`);
  }
  if (opts.at.getTime() > opts.now.getTime()) return refuse('at', 'A state change cannot be dated in the future');
  if (opts.at.getTime() < incident.awareAt.getTime()) return refuse('at', 'A state change cannot precede the moment the org became aware');
  const dismissing = incident.state === 'TRIAGED' && to === 'CLOSED';
  if (dismissing && blank(opts.reason)) {
    return refuse('reason', 'Closing a report without confirming it needs a reason (why it is not an incident)');
  }
  if (to === 'CONTAINED' && incident.confirmedAt && opts.at.getTime() < incident.confirmedAt.getTime()) {
    return refuse('at', 'Containment cannot precede confirmation');
  }
  const next: Incident = { ...incident, state: to };
  if (to === 'CONFIRMED') next.confirmedAt = opts.at;
  if (to === 'CONTAINED') next.containedAt = opts.at;
  if (dismissing) next.dismissal = { reason: opts.reason?.trim() ?? '', by: opts.by, at: opts.at };
  return { ok: true, value: next };
}

/**
 * Changes the moment of awareness, keeping the old value, who changed it and why. Every
 * clock is computed from the incident, so the next `obligations` call uses the new moment.
 */
export function editAwareness(
  incident: Incident,
  edit: { awareAt: Date; reason: string; by: string },
  now: Date,
): Outcome<Incident> {
  if (blank(edit.reason)) return refuse('reason', 'Changing the moment of awareness needs a reason, which is kept');
  if (edit.awareAt.getTime() > now.getTime()) return refuse('awareAt', 'The moment of awareness cannot be in the future');
  const firstLater = [incident.confirmedAt, incident.containedAt, ...incident.notifications.map((n) => n.sentAt)]
    .filter((d): d is Date => d !== null)
    .find((d) => d.getTime() < edit.awareAt.getTime());
  if (firstLater) {
    return refuse('awareAt', `The moment of awareness cannot be after ${firstLater.toISOString()}, when the org already acted on the incident`);
  }
  const record: AwarenessEdit = { from: incident.awareAt, to: edit.awareAt, reason: edit.reason.trim(), by: edit.by, at: now };
  return { ok: true, value: { ...incident, awareAt: edit.awareAt, awarenessEdits: [...incident.awarenessEdits, record] } };
}
