import { Field, ID, InputType, ObjectType } from 'type-graphql';
import type { ApiKeyEntity } from './apikey.entity';

@ObjectType('ApiKey')
export class ApiKey {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'The first characters of the key, to tell keys apart' }) prefix!: string;
  @Field(() => ID) roleId!: string;
  @Field(() => ID) createdBy!: string;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) expiresAt!: Date | null;
  @Field(() => Date, { nullable: true }) revokedAt!: Date | null;
  @Field(() => Date, { nullable: true }) lastUsedAt!: Date | null;
}

export function toApiKey(e: ApiKeyEntity): ApiKey {
  return {
    id: e.id, name: e.name, prefix: e.prefix, roleId: e.roleId, createdBy: e.createdBy, createdAt: e.createdAt,
    expiresAt: e.expiresAt, revokedAt: e.revokedAt, lastUsedAt: e.lastUsedAt,
  };
}

@ObjectType()
export class CreatedApiKey {
  @Field(() => ApiKey) apiKey!: ApiKey;
  @Field(() => String, { description: 'The key itself: shown this once, stored only as a hash. Send as Authorization: Bearer <key>.' })
  key!: string;
}

@InputType()
export class CreateApiKeyInput {
  @Field(() => String) name!: string;
  @Field(() => ID, { description: 'The role the key acts with' }) roleId!: string;
  @Field(() => Date, { nullable: true, description: 'At most a year ahead; no expiry when omitted' }) expiresAt?: Date | null;
}
