import { Field, ID, ObjectType } from 'type-graphql';
import { Role, toRole } from '../role/role.type';
import type { RoleEntity } from '../role/role.entity';
import type { InvitationEntity } from './invitation.entity';

@ObjectType('Invitation')
export class Invitation {
  @Field(() => ID) id!: string;
  @Field(() => String) email!: string;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) expiresAt!: Date;
  @Field(() => [Role]) roles!: Role[];
  @Field(() => ID, { description: 'The member who sent it' }) invitedBy!: string;
}

export function toInvitation(e: InvitationEntity, roles: RoleEntity[]): Invitation {
  return { id: e.id, email: e.email, createdAt: e.createdAt, expiresAt: e.expiresAt, roles: roles.map(toRole), invitedBy: e.invitedBy };
}
