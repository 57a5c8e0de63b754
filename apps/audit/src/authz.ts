import { registerSubjects } from '@packets/authz';

registerSubjects('audit', {
  AuditEvent: ['id', 'occurredAt', 'actorType', 'actorId', 'action', 'subjectType', 'subjectId', 'outcome', 'ip', 'userAgent', 'data'],
});
