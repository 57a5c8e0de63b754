import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Role, toRole } from '../membership/role.type';
import { RoleInput } from './role.inputs';
import { createRole, deleteRole, listRoles, updateRole } from './role.service';
import { PermissionSubject, permissionRegistry } from './permission.type';
import type { IdentityContext } from '../identity.context';

@Resolver()
export class RoleResolver {
  @Query(() => [Role])
  async roles(@Ctx() ctx: IdentityContext): Promise<Role[]> {
    return (await listRoles(ctx)).map(toRole);
  }

  @Query(() => [PermissionSubject], { description: 'What custom roles can name: every subject, its fields, the actions and operators' })
  permissionRegistry(@Ctx() ctx: IdentityContext): PermissionSubject[] {
    ctx.authorize('read', 'Role');
    return permissionRegistry();
  }

  @Mutation(() => Role)
  async createRole(@Arg('input', () => RoleInput) input: RoleInput, @Ctx() ctx: IdentityContext): Promise<Role> {
    return toRole(await createRole(ctx, input));
  }

  @Mutation(() => Role)
  async updateRole(@Arg('id', () => ID) id: string, @Arg('input', () => RoleInput) input: RoleInput, @Ctx() ctx: IdentityContext): Promise<Role> {
    return toRole(await updateRole(ctx, id, input));
  }

  @Mutation(() => Boolean)
  deleteRole(@Arg('id', () => ID) id: string, @Ctx() ctx: IdentityContext): Promise<boolean> {
    return deleteRole(ctx, id);
  }
}
