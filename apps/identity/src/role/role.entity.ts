import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A role: a named list of CASL rules. System roles' rules come from libs/authz (see effectiveRules). */
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
