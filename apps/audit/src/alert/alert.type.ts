import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { Connection } from '@packets/graphql';
import type { AlertEntity } from './alert.entity';

export enum AuditAlertSeverity { low = 'low', medium = 'medium', high = 'high' }
registerEnumType(AuditAlertSeverity, { name: 'AuditAlertSeverity' });

export enum AuditWebhookDelivery { none = 'none', pending = 'pending', delivered = 'delivered', failed = 'failed' }
registerEnumType(AuditWebhookDelivery, { name: 'AuditWebhookDelivery', description: 'Delivery of an alert to the organisation webhook' });

@ObjectType('AuditAlert')
export class AuditAlert {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'denied_burst, read_spike, unusual_export, new_sign_in_location, cross_org_reference or chain_integrity' }) rule!: string;
  @Field(() => AuditAlertSeverity) severity!: AuditAlertSeverity;
  @Field(() => ID, { nullable: true }) actorId!: string | null;
  @Field(() => String) summary!: string;
  @Field(() => GraphQLJSON) details!: Record<string, unknown>;
  @Field(() => [ID], { description: 'Audit events that raised the alert' }) eventIds!: string[];
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) acknowledgedAt!: Date | null;
  @Field(() => ID, { nullable: true }) acknowledgedBy!: string | null;
  @Field(() => AuditWebhookDelivery) webhookStatus!: AuditWebhookDelivery;
  @Field(() => Int, { description: 'Delivery attempts so far' }) webhookAttempts!: number;
}

export function toAuditAlert(a: AlertEntity): AuditAlert {
  return {
    id: a.id, rule: a.rule, severity: a.severity as AuditAlertSeverity, actorId: a.actorId, summary: a.summary, details: a.details,
    eventIds: a.eventIds, createdAt: a.createdAt, acknowledgedAt: a.acknowledgedAt, acknowledgedBy: a.acknowledgedBy,
    webhookStatus: a.webhookStatus as AuditWebhookDelivery, webhookAttempts: a.webhookAttempts,
  };
}

@InputType()
export class AuditAlertFilter {
  @Field(() => Boolean, { nullable: true, description: 'true: only acknowledged; false: only open' }) acknowledged?: boolean | null;
  @Field(() => String, { nullable: true }) rule?: string | null;
}

export const AuditAlertConnection = Connection(AuditAlert, 'AuditAlert');
