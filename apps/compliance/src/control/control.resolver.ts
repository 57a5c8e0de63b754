import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Control, ControlConnection, UserRef } from './control.type';
import { ControlFilter, ControlInput } from './control.inputs';
import { createControl, getControl, listControls, mapControl, updateControl } from './control.service';
import { Requirement } from '../framework/framework.type';
import { Evidence } from '../evidence/evidence.type';
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

  @Mutation(() => Control, { description: 'Maps the control to exactly these requirements (of one or several frameworks)' })
  mapControl(
    @Arg('controlId', () => ID) controlId: string,
    @Arg('requirementIds', () => [ID]) requirementIds: string[],
    @Ctx() ctx: ComplianceContext,
  ): Promise<Control> {
    return mapControl(ctx, controlId, requirementIds);
  }

  /** A reference only: identity resolves the User (batched by the gateway, DataLoader in identity). */
  @FieldResolver(() => UserRef, { nullable: true })
  owner(@Root() control: Control): UserRef | null {
    return control.ownerId ? { id: control.ownerId } : null;
  }

  @FieldResolver(() => [Requirement], { description: 'Requirements this control satisfies, across frameworks' })
  requirements(@Root() control: Control, @Ctx() ctx: ComplianceContext): Promise<Requirement[]> {
    return ctx.loaders.requirementsByControl.load(control.id);
  }

  @FieldResolver(() => [Evidence], { description: 'Evidence the caller may read, newest first' })
  evidence(@Root() control: Control, @Ctx() ctx: ComplianceContext): Promise<Evidence[]> {
    return ctx.loaders.evidenceByControl.load(control.id);
  }
}
