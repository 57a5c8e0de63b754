import { Field, ID, ObjectType } from 'type-graphql';
import type { SessionEntity } from './session.entity';

@ObjectType('Session')
export class Session {
  @Field(() => ID) id!: string;
  @Field(() => Boolean, { description: 'The session making this request' }) current!: boolean;
  @Field(() => String, { description: 'password, mfa, sso or invitation' }) method!: string;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) lastSeenAt!: Date;
  @Field(() => Date) expiresAt!: Date;
  @Field(() => String, { nullable: true }) ip!: string | null;
  @Field(() => String, { nullable: true, description: 'The device, as its browser or client named itself' }) userAgent!: string | null;
}

export function toSession(e: SessionEntity, currentId: string | null, expiresAt: Date = e.expiresAt): Session {
  return {
    id: e.id, current: e.id === currentId, method: e.method, createdAt: e.createdAt, lastSeenAt: e.lastSeenAt,
    expiresAt, ip: e.ip, userAgent: e.userAgent,
  };
}
