import { buildFederatedSchema } from '@packets/graphql';
import { AuthResolver } from './auth/auth.resolver';
import { OrganizationResolver } from './organization/organization.resolver';
import { organizationReference } from './organization/organization.reference';
import { userReference } from './user/user.reference';
import { User } from './user/user.type';

export function identitySchema() {
  return buildFederatedSchema({
    resolvers: [AuthResolver, OrganizationResolver],
    orphanedTypes: [User],
    references: { User: userReference, Organization: organizationReference },
  });
}
