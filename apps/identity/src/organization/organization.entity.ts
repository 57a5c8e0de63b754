import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

@Entity({ tableName: 'organizations' })
export class OrganizationEntity {
  @PrimaryKey({ type: 'uuid' }) id!: string;
  @Property({ type: 'text' }) name!: string;
  @Property({ type: 'text' }) slug!: string;
  @Property({ type: 'text' }) region: string = 'IN';
  @Property({ type: 'int' }) sessionIdleTimeoutMinutes: number = 30;
  @Property({ type: 'int' }) sessionAbsoluteLifetimeMinutes: number = 720;
  @Property({ type: 'boolean' }) mfaRequired: boolean = false;
  @Property({ type: 'timestamptz' }) createdAt: Date = new Date();
}
