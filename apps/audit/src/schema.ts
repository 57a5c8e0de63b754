import './authz';
import { buildFederatedSchema } from '@packets/graphql';
import { AuditEventResolver } from './event/event.resolver';

export function auditSchema() {
  return buildFederatedSchema({ resolvers: [AuditEventResolver] });
}
