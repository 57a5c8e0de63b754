import { Field, InputType, ObjectType } from 'type-graphql';

@ObjectType('ComplianceSettings')
export class ComplianceSettings {
  @Field(() => Boolean, { description: 'A policy version must be approved by someone other than its author before it is published' })
  requirePolicyApprovalByOther!: boolean;
}

@InputType()
export class ComplianceSettingsInput {
  @Field(() => Boolean, { nullable: true }) requirePolicyApprovalByOther?: boolean | null;
}
