import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

@Entity({ tableName: 'memberships' })
export class MembershipEntity {
  @PrimaryKey({ type: 'uuid' }) id!: string;
  @Property({ type: 'uuid' }) orgId!: string;
  @Property({ type: 'uuid' }) userId!: string;
  @Property({ type: 'timestamptz' }) createdAt: Date = new Date();
}

/** The roles a membership carries (a member holds the union of their roles). */
@Entity({ tableName: 'membership_roles' })
export class MembershipRoleEntity {
  @PrimaryKey({ type: 'uuid' }) membershipId!: string;
  @PrimaryKey({ type: 'uuid' }) roleId!: string;
  @Property({ type: 'uuid' }) orgId!: string;
}
