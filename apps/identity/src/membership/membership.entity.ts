import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

@Entity({ tableName: 'memberships' })
export class MembershipEntity {
  @PrimaryKey({ type: 'uuid' }) id!: string;
  @Property({ type: 'uuid' }) orgId!: string;
  @Property({ type: 'uuid' }) userId!: string;
  @Property({ type: 'timestamptz' }) createdAt: Date = new Date();
}

@Entity({ tableName: 'roles' })
export class RoleEntity {
  @PrimaryKey({ type: 'uuid' }) id!: string;
  @Property({ type: 'uuid' }) orgId!: string;
  @Property({ type: 'text' }) name!: string;
  @Property({ type: 'text' }) description!: string;
  @Property({ type: 'boolean' }) system: boolean = false;
  @Property({ type: 'json' }) rules!: unknown[];
  @Property({ type: 'timestamptz' }) createdAt: Date = new Date();
}

@Entity({ tableName: 'membership_roles' })
export class MembershipRoleEntity {
  @PrimaryKey({ type: 'uuid' }) membershipId!: string;
  @PrimaryKey({ type: 'uuid' }) roleId!: string;
  @Property({ type: 'uuid' }) orgId!: string;
}
