// Every subject each subgraph authorises, in one place, so that identity can
// validate custom roles against all of them in any deployment (each service runs
// in its own process). A subgraph adds its subjects here when it adds a type.
import { registerSubjects } from './registry';

registerSubjects('identity', {
  Organization: ['id', 'name', 'slug', 'region', 'securitySettings'],
  User: ['id', 'email', 'name'],
  Membership: ['id', 'userId', 'roles'],
  Role: ['id', 'name', 'description', 'rules', 'system'],
  Session: ['id', 'userId', 'createdAt', 'lastSeenAt', 'ip', 'userAgent'],
  Invitation: ['id', 'email', 'roles', 'expiresAt'],
  ApiKey: ['id', 'name', 'roleId', 'createdBy', 'expiresAt'],
  SsoConnection: ['issuer', 'clientId', 'allowedDomains', 'jitEnabled', 'defaultRoleId'],
});

registerSubjects('compliance', {
  Control: ['id', 'title', 'description', 'status', 'ownerId', 'implementationNotes'],
});

registerSubjects('audit', {
  AuditEvent: ['id', 'occurredAt', 'actorType', 'actorId', 'action', 'subjectType', 'subjectId', 'outcome', 'ip', 'userAgent', 'data'],
});

registerSubjects('ai', {
  AiSettings: ['enabled', 'consentedAt', 'consentedBy', 'withdrawnAt', 'provider'],
});
