import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Control, ControlConnection, UserRef } from './control.type';
import { ControlFilter, ControlInput } from './control.inputs';
import { createControl, getControl, listControls, updateControl } from './control.service';
import type { ComplianceContext } from '../compliance.context';

@Resolver(() => Control)
export class ControlResolver {
  @Query(() => ControlConnection)
  controls(
    @Ctx() ctx: ComplianceContext,
    @Arg('filter', () => ControlFilter, { nullable: true }) filter?: ControlFilter,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    return listControls(ctx, filter, first, after);
  }

  @Query(() => Control, { nullable: true })
  control(@Arg('id', () => ID) id: string, @Ctx() ctx: ComplianceContext): Promise<Control> {
    return getControl(ctx, id);
  }

  @Mutation(() => Control)
  createControl(@Arg('input', () => ControlInput) input: ControlInput, @Ctx() ctx: ComplianceContext): Promise<Control> {
    return createControl(ctx, input);
  }

  @Mutation(() => Control)
  updateControl(
    @Arg('id', () => ID) id: string, @Arg('input', () => ControlInput) input: ControlInput, @Ctx() ctx: ComplianceContext,
  ): Promise<Control> {
    return updateControl(ctx, id, input);
  }

  /** A reference only: identity resolves the User (batched by the gateway, DataLoader in identity). */
  @FieldResolver(() => UserRef, { nullable: true })
  owner(@Root() control: Control): UserRef | null {
    return control.ownerId ? { id: control.ownerId } : null;
  }
}
