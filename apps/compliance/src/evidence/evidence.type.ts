import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { EVIDENCE_KINDS, type EvidenceEntity, type EvidenceKind } from './evidence.entity';

export const EvidenceKindEnum = Object.fromEntries(EVIDENCE_KINDS.map((s) => [s, s])) as { [K in EvidenceKind]: K };
registerEnumType(EvidenceKindEnum, { name: 'EvidenceKind' });

@ObjectType('Evidence', { description: 'A link, a text or an encrypted file showing that a control operates' })
export class Evidence {
  @Field(() => ID) id!: string;
  @Field(() => EvidenceKindEnum) kind!: EvidenceKind;
  @Field(() => String) title!: string;
  @Field(() => String, { nullable: true }) url!: string | null;
  @Field(() => String, { nullable: true }) text!: string | null;
  @Field(() => String, { nullable: true }) fileName!: string | null;
  @Field(() => String, { nullable: true }) contentType!: string | null;
  @Field(() => Int, { nullable: true }) sizeBytes!: number | null;
  @Field(() => String, { nullable: true, description: 'SHA-256 of the file (hex), checked on every download' }) sha256!: string | null;
  @Field(() => Date) collectedAt!: Date;
  @Field(() => Date, { nullable: true }) expiresAt!: Date | null;
  @Field(() => Boolean, { description: 'Past its expiry date: no longer counts towards readiness' }) expired!: boolean;
  @Field(() => Date) createdAt!: Date;
  controlId!: string;
  createdBy!: string | null;
}

@ObjectType('EvidenceDownload')
export class EvidenceDownload {
  @Field(() => String, { description: "Path on the gateway (GET it there, no other credentials needed) before expiresAt" }) url!: string;
  @Field(() => Date) expiresAt!: Date;
}

export function toEvidence(e: EvidenceEntity, now: Date): Evidence {
  return {
    id: e.id, kind: e.kind, title: e.title, url: e.url, text: e.textContent, fileName: e.fileName, contentType: e.contentType,
    sizeBytes: e.sizeBytes === null ? null : Number(e.sizeBytes), sha256: e.sha256, collectedAt: e.collectedAt,
    expiresAt: e.expiresAt, expired: e.expiresAt !== null && e.expiresAt.getTime() <= now.getTime(), createdAt: e.createdAt,
    controlId: e.controlId, createdBy: e.createdBy,
  };
}
