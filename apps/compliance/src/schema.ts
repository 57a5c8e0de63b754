// The compliance subgraph's schema: every resolver class and entity reference.
import '@packets/authz';
import { buildFederatedSchema } from '@packets/graphql';
import { ControlResolver } from './control/control.resolver';
import { controlReference } from './control/control.reference';
import { FrameworkResolver, RequirementResolver } from './framework/framework.resolver';
import { ProgrammeResolver } from './programme/programme.resolver';
import { OrganizationProgrammesResolver } from './organization/organization.resolver';
import { organizationReference } from './organization/organization.reference';
import { OrganizationCompliance } from './organization/organization.type';
import { EvidenceResolver } from './evidence/evidence.resolver';
import { PolicyResolver, PolicyVersionResolver } from './policy/policy.resolver';
import { ComplianceSettingsResolver } from './settings/settings.resolver';

export function complianceSchema() {
  return buildFederatedSchema({
    resolvers: [
      ControlResolver, FrameworkResolver, RequirementResolver, ProgrammeResolver, EvidenceResolver,
      PolicyResolver, PolicyVersionResolver, ComplianceSettingsResolver, OrganizationProgrammesResolver,
    ],
    orphanedTypes: [OrganizationCompliance],
    references: { Control: controlReference, Organization: organizationReference },
  });
}
