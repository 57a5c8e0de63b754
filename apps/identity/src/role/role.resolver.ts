import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Role } from './role.type';
import { RoleInput } from './role.inputs';
import { createRole, deleteRole, listPermissionSubjects, listRoles, updateRole } from './role.service';
import { PermissionSubject } from './permission.type';
import type { IdentityContext } from '../identity.context';

@Resolver()
export class RoleResolver {
  @Query(() => [Role])
  roles(@Ctx() ctx: IdentityContext): Promise<Role[]> {
    return listRoles(ctx);
  }

  @Query(() => [PermissionSubject], { description: 'What custom roles can name: every subject, its fields, the actions and operators' })
  permissionRegistry(@Ctx() ctx: IdentityContext): PermissionSubject[] {
    return listPermissionSubjects(ctx);
  }

  @Mutation(() => Role)
  createRole(@Arg('input', () => RoleInput) input: RoleInput, @Ctx() ctx: IdentityContext): Promise<Role> {
    return createRole(ctx, input);
  }

  @Mutation(() => Role)
  updateRole(@Arg('id', () => ID) id: string, @Arg('input', () => RoleInput) input: RoleInput, @Ctx() ctx: IdentityContext): Promise<Role> {
    return updateRole(ctx, id, input);
  }

  @Mutation(() => Boolean)
  deleteRole(@Arg('id', () => ID) id: string, @Ctx() ctx: IdentityContext): Promise<boolean> {
    return deleteRole(ctx, id);
  }
}
