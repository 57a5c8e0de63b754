import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Connection } from '@packets/graphql';

@ObjectType('AuditVerification', { description: "The result of re-computing the organisation's hash chain" })
export class AuditVerification {
  @Field(() => Boolean) ok!: boolean;
  @Field(() => Int) checkedCount!: number;
  @Field(() => ID, { nullable: true, description: 'The first event that does not verify (altered, out of place, or right after missing events)' })
  firstBrokenEventId!: string | null;
  @Field(() => Int, { nullable: true }) firstBrokenSeq!: number | null;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => String, { nullable: true, description: 'Hash of the last event checked' }) headHash!: string | null;
  @Field(() => Int, { nullable: true }) headSeq!: number | null;
}

@ObjectType('AuditCheckpoint', { description: 'A signed statement (org, seq, head hash, time): Ed25519 over its canonical JSON' })
export class AuditCheckpoint {
  @Field(() => ID) id!: string;
  @Field(() => Int) seq!: number;
  @Field(() => String) headHash!: string;
  @Field(() => Date) signedAt!: Date;
  @Field(() => String, { description: 'periodic, export or retention' }) kind!: string;
  @Field(() => String) keyId!: string;
  @Field(() => String, { description: 'base64 Ed25519 signature' }) signature!: string;
  @Field(() => String, { description: 'The exact signed bytes (UTF-8)' }) payload!: string;
}

export const AuditCheckpointConnection = Connection(AuditCheckpoint, 'AuditCheckpoint');

@ObjectType('AuditSigningKey', { description: 'The public key that verifies checkpoints, for publication and tools/audit-verify' })
export class AuditSigningKey {
  @Field(() => String) keyId!: string;
  @Field(() => String) algorithm!: string;
  @Field(() => String, { description: 'SPKI DER, base64' }) publicKey!: string;
}
