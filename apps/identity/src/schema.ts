import { buildFederatedSchema } from '@packets/graphql';
import { AuthResolver } from './auth/auth.resolver';
import { OrganizationResolver } from './organization/organization.resolver';
import { organizationReference } from './organization/organization.reference';
import { userReference } from './user/user.reference';
import { User } from './user/user.type';
import { MembershipResolver } from './membership/membership.resolver';
import { RoleResolver } from './role/role.resolver';
import { SessionResolver } from './session/session.resolver';
import { ApiKeyResolver } from './apikey/apikey.resolver';
import { MfaResolver } from './mfa/mfa.resolver';
import { SsoResolver } from './sso/sso.resolver';
import { InvitationResolver } from './invitation/invitation.resolver';

export function identitySchema() {
  return buildFederatedSchema({
    resolvers: [AuthResolver, OrganizationResolver, MembershipResolver, RoleResolver, SessionResolver, ApiKeyResolver, MfaResolver, SsoResolver, InvitationResolver],
    orphanedTypes: [User],
    references: { User: userReference, Organization: organizationReference },
  });
}
