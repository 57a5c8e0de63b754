import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

export const EVIDENCE_KINDS = ['LINK', 'TEXT', 'FILE'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

@Entity({ tableName: 'evidence' })
export class EvidenceEntity {
  @PrimaryKey({ type: 'uuid' }) id!: string;
  @Property({ type: 'uuid' }) orgId!: string;
  @Property({ type: 'uuid' }) controlId!: string;
  /** the control's owner when the evidence was added (lets a role say "evidence for controls I own") */
  @Property({ type: 'uuid', nullable: true }) controlOwnerId: string | null = null;
  @Property({ type: 'text' }) kind!: EvidenceKind;
  @Property({ type: 'text' }) title!: string;
  @Property({ type: 'text', nullable: true }) url: string | null = null;
  @Property({ type: 'text', nullable: true }) textContent: string | null = null;
  @Property({ type: 'text', nullable: true }) fileName: string | null = null;
  @Property({ type: 'text', nullable: true }) contentType: string | null = null;
  @Property({ type: 'bigint', nullable: true }) sizeBytes: number | null = null;
  /** hex SHA-256 of the plaintext, checked on every download */
  @Property({ type: 'text', nullable: true }) sha256: string | null = null;
  /** where the encrypted file lives: "<orgId>/<evidenceId>" in the storage */
  @Property({ type: 'text', nullable: true }) storageKey: string | null = null;
  /** AES-256-GCM tag of the stored ciphertext, base64 (the IV is stored in front of the ciphertext) */
  @Property({ type: 'text', nullable: true }) authTag: string | null = null;
  @Property({ type: 'timestamptz' }) collectedAt!: Date;
  @Property({ type: 'timestamptz', nullable: true }) expiresAt: Date | null = null;
  @Property({ type: 'uuid', nullable: true }) createdBy: string | null = null;
  @Property({ type: 'timestamptz' }) createdAt: Date = new Date();
}

/** The fields CASL conditions may name (see libs/authz subjects). */
export function evidenceSubject(e: Pick<EvidenceEntity, 'id' | 'controlId' | 'controlOwnerId' | 'kind' | 'title' | 'createdBy' | 'collectedAt' | 'expiresAt'>) {
  return {
    id: e.id, controlId: e.controlId, controlOwnerId: e.controlOwnerId, kind: e.kind, title: e.title,
    createdBy: e.createdBy, collectedAt: e.collectedAt, expiresAt: e.expiresAt,
  };
}
