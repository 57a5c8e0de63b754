import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A person. Global (one account across organisations); visible to an org only through a membership (RLS). */
@Entity({ tableName: 'users' })
export class UserEntity {
  @PrimaryKey({ type: 'uuid' }) id!: string;
  @Property({ type: 'text' }) email!: string;
  @Property({ type: 'text' }) name!: string;
  @Property({ type: 'text', hidden: true, lazy: true }) passwordHash!: string;
  @Property({ type: 'timestamptz' }) createdAt: Date = new Date();
}
