// Identity's subjects in the shared authorisation registry.
import { registerSubjects } from '@packets/authz';

registerSubjects('identity', {
  Organization: ['id', 'name', 'slug', 'region', 'securitySettings'],
  User: ['id', 'email', 'name'],
  Membership: ['id', 'userId', 'roles'],
  Role: ['id', 'name', 'description', 'rules', 'system'],
  Session: ['id', 'userId', 'createdAt', 'lastSeenAt', 'ip', 'userAgent'],
});
