import { buildFederatedSchema } from '@packets/graphql';
import { AiSettingsResolver, OrganizationAiResolver, organizationReference } from './settings/settings.resolver';
import { OrganizationAi } from './settings/settings.type';

export function aiSchema() {
  return buildFederatedSchema({
    resolvers: [AiSettingsResolver, OrganizationAiResolver],
    orphanedTypes: [OrganizationAi],
    references: { Organization: organizationReference },
  });
}
