import { Field, InputType, Int } from 'type-graphql';

@InputType()
export class SecuritySettingsInput {
  @Field(() => Int, { nullable: true, description: '5 to 1440' }) sessionIdleTimeoutMinutes?: number | null;
  @Field(() => Int, { nullable: true, description: '15 to 43200' }) sessionAbsoluteLifetimeMinutes?: number | null;
  @Field(() => Boolean, { nullable: true, description: 'Members without MFA can only enrol until they have it' }) mfaRequired?: boolean | null;
  @Field(() => String, { nullable: true, description: 'Data residency region: IN (default), EU, US, GB, SG, AU' }) region?: string | null;
}
