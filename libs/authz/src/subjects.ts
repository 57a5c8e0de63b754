// Every subject each subgraph authorises, in one place, so that identity can
// validate custom roles against all of them in any deployment (each service runs
// in its own process). A subgraph adds its subjects here when it adds a type;
// fields of its GraphQL type that rules cannot name are declared in graph-fields.ts
// (field-rules.e2e.spec.ts fails until they are).
import { registerSubjects } from './registry';

registerSubjects('identity', {
  Organization: ['id', 'name', 'slug', 'region', 'securitySettings'],
  User: ['id', 'email', 'name'],
  Membership: ['id', 'userId', 'roles'],
  Role: ['id', 'name', 'description', 'rules', 'system'],
  Session: ['id', 'userId', 'createdAt', 'lastSeenAt', 'ip', 'userAgent'],
  Invitation: ['id', 'email', 'roles', 'createdAt', 'expiresAt', 'invitedBy'],
  ApiKey: ['id', 'name', 'roleId', 'createdBy', 'expiresAt'],
  SsoConnection: ['issuer', 'clientId', 'allowedDomains', 'jitEnabled', 'defaultRoleId'],
});

registerSubjects('compliance', {
  // requirements: the control's mappings (mapControl writes them as join rows; a write of this field)
  Control: ['id', 'title', 'description', 'status', 'ownerId', 'implementationNotes', 'requirements'],
  // catalogues: built-in ones are global (read-only); imported ones belong to the org
  Framework: ['id', 'key', 'version', 'name'],
  Requirement: ['id', 'frameworkId', 'ref', 'title'],
  Programme: ['id', 'frameworkId', 'frameworkKey', 'status'],
  // controlOwnerId is the control's owner when the evidence was added: "evidence for controls I own"
  Evidence: ['id', 'controlId', 'controlOwnerId', 'kind', 'title', 'createdBy', 'collectedAt', 'expiresAt'],
  Policy: ['id', 'title', 'createdBy'],
  PolicyVersion: ['id', 'policyId', 'version', 'status', 'authorId', 'body'],
  PolicyAcknowledgement: ['id', 'policyVersionId', 'userId'],
  ComplianceSettings: ['requirePolicyApprovalByOther'],
});

registerSubjects('audit', {
  AuditEvent: ['id', 'occurredAt', 'actorType', 'actorId', 'action', 'subjectType', 'subjectId', 'outcome', 'ip', 'userAgent', 'data', 'source'],
  AuditAlert: ['id', 'rule', 'severity', 'actorId', 'createdAt', 'acknowledgedAt'],
  AuditSettings: ['retentionDays', 'webhookUrl', 'webhookEnabled'],
});

registerSubjects('ai', {
  AiSettings: ['enabled', 'consentedAt', 'consentedBy', 'withdrawnAt', 'provider'],
});
