import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A single-use, expiring invitation; only the SHA-256 of its token is stored. */
@Entity({ tableName: 'invitations' })
export class InvitationEntity {
  @PrimaryKey({ type: 'uuid' }) id!: string;
  @Property({ type: 'uuid' }) orgId!: string;
  @Property({ type: 'text' }) email!: string;
  @Property({ type: 'uuid[]' }) roleIds!: string[];
  @Property({ type: 'text', hidden: true }) tokenHash!: string;
  @Property({ type: 'uuid' }) invitedBy!: string;
  @Property({ type: 'timestamptz' }) createdAt!: Date;
  @Property({ type: 'timestamptz' }) expiresAt!: Date;
  @Property({ type: 'timestamptz', nullable: true }) acceptedAt: Date | null = null;
  @Property({ type: 'timestamptz', nullable: true }) revokedAt: Date | null = null;
}
