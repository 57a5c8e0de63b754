import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A signed-in session. Only the SHA-256 of its token is stored. */
@Entity({ tableName: 'sessions' })
export class SessionEntity {
  @PrimaryKey({ type: 'uuid' }) id!: string;
  @Property({ type: 'uuid' }) orgId!: string;
  @Property({ type: 'uuid' }) userId!: string;
  @Property({ type: 'text', hidden: true }) tokenHash!: string;
  @Property({ type: 'timestamptz' }) createdAt!: Date;
  @Property({ type: 'timestamptz' }) lastSeenAt!: Date;
  @Property({ type: 'timestamptz' }) expiresAt!: Date;
  @Property({ type: 'timestamptz', nullable: true }) revokedAt: Date | null = null;
  @Property({ type: 'text', nullable: true }) ip: string | null = null;
  @Property({ type: 'text', nullable: true }) userAgent: string | null = null;
  /** the org requires MFA and this user has none yet: the session may only enrol */
  @Property({ type: 'boolean' }) mfaEnrollmentRequired: boolean = false;
  /** opened with a second factor, or confirmed one since: survives the org turning "MFA required" on */
  @Property({ type: 'boolean' }) mfaVerified: boolean = false;
  @Property({ type: 'text' }) method: 'password' | 'mfa' | 'sso' | 'invitation' = 'password';
}
