import { buildFederatedSchema } from '@packets/graphql';
import { AiSettingsResolver } from './settings/settings.resolver';
import { OrganizationAiResolver } from './organization/organization.resolver';
import { organizationReference } from './organization/organization.reference';
import { OrganizationAi } from './organization/organization.type';

export function aiSchema() {
  return buildFederatedSchema({
    resolvers: [AiSettingsResolver, OrganizationAiResolver],
    orphanedTypes: [OrganizationAi],
    references: { Organization: organizationReference },
  });
}
