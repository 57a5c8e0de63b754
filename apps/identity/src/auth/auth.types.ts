import { createUnionType, Field, ObjectType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { Organization } from '../organization/organization.type';
import { User } from '../user/user.type';
import { Role } from '../role/role.type';

@ObjectType()
export class AuthPayload {
  @Field(() => String, { description: 'Bearer token: send as Authorization: Bearer <token>. Shown once.' }) token!: string;
  @Field(() => Date) expiresAt!: Date;
  @Field(() => User) user!: User;
  @Field(() => Organization) organization!: Organization;
}

@ObjectType({ description: 'Returned by signIn when the account has MFA on; finish with completeMfaSignIn.' })
export class MfaChallenge {
  @Field(() => String) challengeToken!: string;
  @Field(() => Date) expiresAt!: Date;
}

export const SignInResult = createUnionType({
  name: 'SignInResult',
  types: () => [AuthPayload, MfaChallenge] as const,
  resolveType: (value) => ('token' in value ? AuthPayload : MfaChallenge),
});

@ObjectType()
export class Viewer {
  @Field(() => User) user!: User;
  @Field(() => Organization) organization!: Organization;
  @Field(() => [Role]) roles!: Role[];
  @Field(() => GraphQLJSON, { description: 'The CASL rules in force for this session (packed), for clients to hide what is not allowed' })
  permissions!: unknown[];
}
