import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { UserRef } from '@packets/graphql';
import { POLICY_VERSION_STATUSES, type PolicyAcknowledgementEntity, type PolicyEntity, type PolicyVersionEntity, type PolicyVersionStatus } from './policy.entity';

export const PolicyVersionStatusEnum = Object.fromEntries(POLICY_VERSION_STATUSES.map((s) => [s, s])) as { [K in PolicyVersionStatus]: K };
registerEnumType(PolicyVersionStatusEnum, { name: 'PolicyVersionStatus' });

@ObjectType('Policy', { description: 'A versioned policy document (markdown)' })
export class Policy {
  @Field(() => ID) id!: string;
  @Field(() => String) title!: string;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) updatedAt!: Date;
  createdBy!: string | null;
}

@ObjectType('PolicyVersion')
export class PolicyVersion {
  @Field(() => ID) id!: string;
  @Field(() => ID) policyId!: string;
  @Field(() => Int) version!: number;
  @Field(() => String, { description: 'Markdown' }) body!: string;
  @Field(() => PolicyVersionStatusEnum) status!: PolicyVersionStatus;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) approvedAt!: Date | null;
  @Field(() => Date, { nullable: true }) publishedAt!: Date | null;
  @Field(() => UserRef, { nullable: true }) author!: UserRef | null;
  @Field(() => UserRef, { nullable: true }) approvedBy!: UserRef | null;
  @Field(() => UserRef, { nullable: true }) publishedBy!: UserRef | null;
}

@ObjectType('PolicyAcknowledgement')
export class PolicyAcknowledgement {
  @Field(() => ID) id!: string;
  @Field(() => ID) policyVersionId!: string;
  @Field(() => UserRef) user!: UserRef;
  @Field(() => Date) acknowledgedAt!: Date;
}

@ObjectType('CoverageEntry')
export class CoverageEntry {
  @Field(() => UserRef) user!: UserRef;
  @Field(() => Date, { description: 'When this member acknowledged (or completed)' }) at!: Date;
}

@ObjectType('Coverage', { description: 'Who has and who has not acknowledged (or completed) something' })
export class Coverage {
  @Field(() => Int, { description: 'Members counted' }) total!: number;
  @Field(() => Int) coveredCount!: number;
  @Field(() => Float, { description: 'coveredCount / total, from 0 to 1' }) ratio!: number;
  @Field(() => [CoverageEntry], { description: 'Members who have' }) covered!: CoverageEntry[];
  @Field(() => [UserRef], { description: 'Members who have not' }) uncovered!: UserRef[];
  @Field(() => PolicyVersion, { nullable: true, description: 'Policy coverage: the published version counted (acknowledgements of older versions do not count)' })
  policyVersion!: PolicyVersion | null;
}

export function toPolicy(e: PolicyEntity): Policy {
  return { id: e.id, title: e.title, createdAt: e.createdAt, updatedAt: e.updatedAt, createdBy: e.createdBy };
}

const ref = (id: string | null): UserRef | null => (id ? { id } : null);

export function toPolicyVersion(e: PolicyVersionEntity): PolicyVersion {
  return {
    id: e.id, policyId: e.policyId, version: e.version, body: e.body, status: e.status, createdAt: e.createdAt,
    approvedAt: e.approvedAt, publishedAt: e.publishedAt, author: ref(e.authorId), approvedBy: ref(e.approvedBy), publishedBy: ref(e.publishedBy),
  };
}

export function toAcknowledgement(e: PolicyAcknowledgementEntity): PolicyAcknowledgement {
  return { id: e.id, policyVersionId: e.policyVersionId, user: { id: e.userId }, acknowledgedAt: e.acknowledgedAt };
}
