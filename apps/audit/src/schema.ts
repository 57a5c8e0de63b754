import { buildFederatedSchema } from '@packets/graphql';
import { AuditEventResolver } from './event/event.resolver';
import { AuditChainResolver } from './chain/chain.resolver';
import { AuditExportResolver } from './export/export.resolver';
import { AuditAlertResolver } from './alert/alert.resolver';
import { AuditSettingsResolver } from './settings/settings.resolver';

export function auditSchema() {
  return buildFederatedSchema({
    resolvers: [AuditEventResolver, AuditChainResolver, AuditExportResolver, AuditAlertResolver, AuditSettingsResolver],
  });
}
