import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

export const POLICY_VERSION_STATUSES = ['DRAFT', 'APPROVED', 'PUBLISHED', 'SUPERSEDED'] as const;
export type PolicyVersionStatus = (typeof POLICY_VERSION_STATUSES)[number];

@Entity({ tableName: 'policies' })
export class PolicyEntity {
  @PrimaryKey({ type: 'uuid' }) id!: string;
  @Property({ type: 'uuid' }) orgId!: string;
  @Property({ type: 'text' }) title!: string;
  @Property({ type: 'uuid', nullable: true }) createdBy: string | null = null;
  @Property({ type: 'timestamptz' }) createdAt: Date = new Date();
  @Property({ type: 'timestamptz' }) updatedAt: Date = new Date();
}

/** One version of a policy's markdown text: DRAFT -> (APPROVED) -> PUBLISHED -> SUPERSEDED. */
@Entity({ tableName: 'policy_versions' })
export class PolicyVersionEntity {
  @PrimaryKey({ type: 'uuid' }) id!: string;
  @Property({ type: 'uuid' }) orgId!: string;
  @Property({ type: 'uuid' }) policyId!: string;
  @Property({ type: 'int' }) version!: number;
  @Property({ type: 'text' }) body!: string;
  @Property({ type: 'text' }) status: PolicyVersionStatus = 'DRAFT';
  @Property({ type: 'uuid', nullable: true }) authorId: string | null = null;
  @Property({ type: 'uuid', nullable: true }) approvedBy: string | null = null;
  @Property({ type: 'timestamptz', nullable: true }) approvedAt: Date | null = null;
  @Property({ type: 'uuid', nullable: true }) publishedBy: string | null = null;
  @Property({ type: 'timestamptz', nullable: true }) publishedAt: Date | null = null;
  @Property({ type: 'timestamptz' }) createdAt: Date = new Date();
}

@Entity({ tableName: 'policy_acknowledgements' })
export class PolicyAcknowledgementEntity {
  @PrimaryKey({ type: 'uuid' }) id!: string;
  @Property({ type: 'uuid' }) orgId!: string;
  @Property({ type: 'uuid' }) policyVersionId!: string;
  @Property({ type: 'uuid' }) userId!: string;
  @Property({ type: 'timestamptz' }) acknowledgedAt: Date = new Date();
}

export function versionSubject(v: PolicyVersionEntity) {
  return { id: v.id, policyId: v.policyId, version: v.version, status: v.status, authorId: v.authorId };
}
