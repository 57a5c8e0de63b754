import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { Connection } from '@packets/graphql';
import type { AuditEventEntity } from './event.entity';

export enum AuditOutcome { success = 'success', failure = 'failure', denied = 'denied' }
registerEnumType(AuditOutcome, { name: 'AuditOutcome' });

@ObjectType('AuditEvent')
export class AuditEvent {
  @Field(() => ID) id!: string;
  @Field(() => Date) occurredAt!: Date;
  @Field(() => String, { description: 'user, apiKey, anonymous or system' }) actorType!: string;
  @Field(() => ID, { nullable: true }) actorId!: string | null;
  @Field(() => ID, { nullable: true }) sessionId!: string | null;
  @Field(() => ID, { nullable: true }) apiKeyId!: string | null;
  @Field(() => String) action!: string;
  @Field(() => String, { nullable: true }) subjectType!: string | null;
  @Field(() => String, { nullable: true }) subjectId!: string | null;
  @Field(() => AuditOutcome) outcome!: AuditOutcome;
  @Field(() => String, { nullable: true }) requestId!: string | null;
  @Field(() => String, { nullable: true }) ip!: string | null;
  @Field(() => String, { nullable: true }) userAgent!: string | null;
  @Field(() => GraphQLJSON, { description: 'Details and changed fields; secrets are redacted at the source' }) data!: Record<string, unknown>;
  @Field(() => String, { description: 'Subgraph that recorded the event' }) source!: string;
  @Field(() => Int, { description: "Position in the organisation's hash chain" }) seq!: number;
  @Field(() => Date, { description: 'When the audit subgraph appended it' }) receivedAt!: Date;
  @Field(() => String, { description: 'SHA-256 (hex) of the previous event, 64 zeros for the first' }) prevHash!: string;
  @Field(() => String, { description: 'SHA-256 (hex) of this event: see docs/decisions/0005-audit-chain.md' }) hash!: string;
}

export function toAuditEvent(e: AuditEventEntity): AuditEvent {
  return {
    id: e.id, occurredAt: e.occurredAt, actorType: e.actorType, actorId: e.actorId, sessionId: e.sessionId,
    apiKeyId: e.apiKeyId, action: e.action, subjectType: e.subjectType, subjectId: e.subjectId,
    outcome: e.outcome as AuditOutcome, requestId: e.requestId, ip: e.ip, userAgent: e.userAgent, data: e.data, source: e.source,
    seq: Number(e.seq), receivedAt: e.receivedAt, prevHash: e.prevHash, hash: e.hash,
  };
}

@InputType()
export class AuditFilter {
  @Field(() => ID, { nullable: true }) actorId?: string | null;
  @Field(() => String, { nullable: true }) action?: string | null;
  @Field(() => String, { nullable: true }) subjectType?: string | null;
  @Field(() => String, { nullable: true }) subjectId?: string | null;
  @Field(() => AuditOutcome, { nullable: true }) outcome?: AuditOutcome | null;
  @Field(() => Date, { nullable: true }) from?: Date | null;
  @Field(() => Date, { nullable: true }) to?: Date | null;
}

export const AuditEventConnection = Connection(AuditEvent, 'AuditEvent');
