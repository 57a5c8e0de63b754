import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum AuditExportFormat { JSONL = 'JSONL', CSV = 'CSV' }
registerEnumType(AuditExportFormat, { name: 'AuditExportFormat' });

@ObjectType('AuditExport')
export class AuditExport {
  @Field(() => ID) id!: string;
  @Field(() => AuditExportFormat) format!: AuditExportFormat;
  @Field(() => String, {
    description: 'Download path on the gateway (GET, relative to the gateway origin). Single use, short-lived: the token in it is the authorisation',
  }) url!: string;
  @Field(() => Date) expiresAt!: Date;
  @Field(() => Int, { description: 'The export holds events up to this sequence number (the chain head when it was requested)' }) headSeq!: number;
  @Field(() => Boolean, { description: 'true when unfiltered: the whole remaining chain, verifiable offline with tools/audit-verify' }) contiguous!: boolean;
}
