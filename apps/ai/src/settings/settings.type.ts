import { Field, ObjectType } from 'type-graphql';
import { UserRef } from '@packets/graphql';
import type { AiSettingsEntity } from './settings.entity';

@ObjectType('AiSettings')
export class AiSettings {
  @Field(() => Boolean, { description: 'Off by default; an admin enabling it records consent' }) enabled!: boolean;
  @Field(() => Date, { nullable: true }) consentedAt!: Date | null;
  @Field(() => UserRef, { nullable: true }) consentedBy!: UserRef | null;
  @Field(() => Date, { nullable: true }) withdrawnAt!: Date | null;
  @Field(() => String, { description: 'offline (built in) or openai-compatible' }) provider!: string;
}

export function toAiSettings(e: AiSettingsEntity | null): AiSettings {
  return {
    enabled: e?.enabled ?? false,
    consentedAt: e?.consentedAt ?? null,
    consentedBy: e?.consentedBy ? { id: e.consentedBy } : null,
    withdrawnAt: e?.withdrawnAt ?? null,
    provider: e?.provider ?? 'offline',
  };
}
