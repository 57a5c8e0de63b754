import './authz';
import { buildFederatedSchema } from '@packets/graphql';
import { ControlResolver } from './control/control.resolver';
import { controlReference } from './control/control.reference';

export function complianceSchema() {
  return buildFederatedSchema({ resolvers: [ControlResolver], references: { Control: controlReference } });
}
