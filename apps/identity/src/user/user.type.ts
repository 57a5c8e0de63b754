import { Directive, Field, ID, ObjectType } from 'type-graphql';
import type { UserEntity } from './user.entity';

@ObjectType('User')
@Directive('@key(fields: "id")')
export class User {
  @Field(() => ID) id!: string;
  @Field(() => String) email!: string;
  @Field(() => String) name!: string;
}

export function toUser(e: UserEntity): User {
  return { id: e.id, email: e.email, name: e.name };
}
