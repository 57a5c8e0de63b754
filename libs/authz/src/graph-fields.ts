// Where the registry meets the graph and the database: which GraphQL object type
// and which entity class is which subject, and, for every field of a subject's
// GraphQL type that is not one of its registry fields, what guards it. Field-level
// rules are enforced from this map (libs/graphql/src/subgraph.ts for reads,
// libs/db/src/orm.ts for writes), and tools/e2e/src/field-rules.e2e.spec.ts fails
// when a subject type or entity has a field this map and the registry do not know.
import { subjectDefinition } from './registry';

/**
 * - `{ reads: f }`: the field shows registry field `f` (a reference `owner` is `ownerId`),
 *   so it is readable where `f` is.
 * - `LINK`: a relation to another subject, which authorises its own rows and fields.
 * - `WHOLE`: set or derived by the service (timestamps, hashes, content not named by
 *   rules); rules cannot name it, so only a read of the object without field
 *   restriction reaches it. Never checked on writes (the actor does not choose it).
 */
export const LINK = 'link' as const;
export const WHOLE = 'whole' as const;
export type GraphFieldGuard = { reads: string } | typeof LINK | typeof WHOLE;

const GRAPH_FIELDS: Record<string, Record<string, GraphFieldGuard>> = {
  Organization: { createdAt: WHOLE, programmes: LINK, aiSettings: LINK },
  Membership: { createdAt: WHOLE, user: { reads: 'userId' } },
  Session: { current: { reads: 'id' }, method: WHOLE, expiresAt: WHOLE },
  ApiKey: { prefix: WHOLE, createdAt: WHOLE, revokedAt: WHOLE, lastUsedAt: WHOLE },
  SsoConnection: { clientSecretSet: WHOLE, redirectUri: WHOLE, updatedAt: WHOLE },
  Invitation: { createdAt: WHOLE },
  Programme: { createdAt: WHOLE, updatedAt: WHOLE, framework: { reads: 'frameworkId' }, readiness: WHOLE },
  Framework: { publisher: WHOLE, source: WHOLE, builtIn: WHOLE, requirements: LINK },
  Requirement: { group: WHOLE, guidance: WHOLE, kind: WHOLE, parentRef: WHOLE, framework: { reads: 'frameworkId' } },
  Control: { createdAt: WHOLE, updatedAt: WHOLE, owner: { reads: 'ownerId' }, evidence: LINK },
  Evidence: {
    url: WHOLE, text: WHOLE, fileName: WHOLE, contentType: WHOLE, sizeBytes: WHOLE, sha256: WHOLE, createdAt: WHOLE,
    expired: { reads: 'expiresAt' }, control: { reads: 'controlId' },
  },
  Policy: { createdAt: WHOLE, updatedAt: WHOLE, versions: LINK, currentVersion: LINK },
  PolicyVersion: {
    createdAt: WHOLE, approvedAt: WHOLE, publishedAt: WHOLE, author: { reads: 'authorId' },
    approvedBy: WHOLE, publishedBy: WHOLE, myAcknowledgement: LINK,
  },
  PolicyAcknowledgement: { user: { reads: 'userId' }, acknowledgedAt: WHOLE },
  AuditEvent: {
    sessionId: WHOLE, apiKeyId: WHOLE, requestId: WHOLE, seq: WHOLE, receivedAt: WHOLE, prevHash: WHOLE, hash: WHOLE,
    actor: { reads: 'actorId' },
  },
  AuditAlert: {
    summary: WHOLE, details: WHOLE, eventIds: WHOLE, acknowledgedBy: WHOLE, webhookStatus: WHOLE, webhookAttempts: WHOLE,
    actor: { reads: 'actorId' },
  },
  AuditSettings: { webhook: WHOLE },
};

/**
 * GraphQL object types that are not subjects: each is reachable only through a
 * subject's field or a root field that authorises it. Connections and edges
 * (`*Connection`, `*Edge`) wrap subjects and are not listed.
 */
export const NOT_SUBJECT_TYPES: ReadonlySet<string> = new Set([
  'Query', 'Mutation', 'PageInfo', 'Viewer', 'SecuritySettings', 'PermissionSubject', 'AuthPayload', 'MfaChallenge',
  'CreatedApiKey', 'TotpEnrollment', 'RecoveryCodes', 'Readiness', 'EvidenceDownload',
  'AuditVerification', 'AuditCheckpoint', 'AuditSigningKey', 'AuditWebhook', 'AuditExport',
  // SSO domain claims: only whoever may configure SSO (every permission, in practice the Owner) reaches them
  'SsoDomain',
]);

/**
 * GraphQL object types that are not subjects but show a subject's fields (a view
 * computed from its rows): each field is guarded as if it were a field of that
 * subject, by the same read wrapper. Without this, `policyCoverage` handed member
 * ids and acknowledgement times to a role reading only `PolicyAcknowledgement.id`.
 */
const VIEW_TYPES: Record<string, { subject: string; fields: Record<string, GraphFieldGuard> }> = {
  Coverage: {
    subject: 'PolicyAcknowledgement',
    fields: {
      // counting rows needs only their ids; who has (and so who has not) acknowledged is userId
      total: { reads: 'id' }, coveredCount: { reads: 'id' }, ratio: { reads: 'id' },
      covered: { reads: 'userId' }, uncovered: { reads: 'userId' }, policyVersion: LINK,
    },
  },
  CoverageEntry: { subject: 'PolicyAcknowledgement', fields: { user: { reads: 'userId' }, at: WHOLE } },
};

/** The subject a view type shows and the guard of each of its fields, or undefined for any other type. */
export function viewOfType(typeName: string): { subject: string; fields: Readonly<Record<string, GraphFieldGuard>> } | undefined {
  return VIEW_TYPES[typeName];
}

/** Entity classes that are not subjects (join rows, secrets, transient state), and the few named apart from their subject. */
export const NOT_SUBJECT_ENTITIES: ReadonlySet<string> = new Set([
  'ControlRequirementEntity', 'MembershipRoleEntity', 'MfaFactorEntity', 'RecoveryCodeEntity', 'MfaChallengeEntity',
  'SsoStateEntity', 'SsoDomainEntity', 'SsoJoinRequestEntity', 'ExportEntity',
]);
const ENTITY_SUBJECTS: Record<string, string> = {
  AlertEntity: 'AuditAlert', OrgFrameworkEntity: 'Framework', OrgRequirementEntity: 'Requirement',
};

/**
 * Entity properties that store a registry field under another name: a write to the
 * property is a write to that field (without this map the flush guard took them for
 * service-set properties, and `update Organization fields [name]` changed the MFA rule).
 */
const PROPERTY_FIELDS: Record<string, Record<string, string>> = {
  Organization: { sessionIdleTimeoutMinutes: 'securitySettings', sessionAbsoluteLifetimeMinutes: 'securitySettings', mfaRequired: 'securitySettings' },
  Invitation: { roleIds: 'roles' },
};

/** The registry field an entity property of the subject stores (itself when not mapped). */
export function registryFieldOfProperty(subject: string, property: string): string {
  return PROPERTY_FIELDS[subject]?.[property] ?? property;
}

/** Entity properties every table carries, set by the services, never the actor's to choose. */
export const SERVICE_PROPERTIES: ReadonlySet<string> = new Set(['orgId', 'createdAt', 'updatedAt']);

/** The subject a GraphQL object type shows, or undefined. */
export function subjectOfType(typeName: string): string | undefined {
  return subjectDefinition(typeName) ? typeName : undefined;
}

/** The subject an entity class stores (ControlEntity is Control), or undefined. */
export function subjectOfEntity(className: string): string | undefined {
  const named = ENTITY_SUBJECTS[className] ?? className.replace(/Entity$/, '');
  return subjectDefinition(named) ? named : undefined;
}

/**
 * What guards a field of a subject's GraphQL type: a registry field is itself;
 * otherwise the declaration above. Undefined for a field nobody declared: the read
 * side then treats it as WHOLE (closed to every field-restricted rule) and the
 * coverage test fails.
 */
export function graphFieldGuard(subject: string, field: string): GraphFieldGuard | undefined {
  if (subjectDefinition(subject)?.fields.includes(field)) return { reads: field };
  return GRAPH_FIELDS[subject]?.[field];
}
