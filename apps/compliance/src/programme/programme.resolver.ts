import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Programme, Readiness } from './programme.type';
import { ProgrammeInput } from './programme.inputs';
import { adoptFramework, listProgrammes, updateProgramme } from './programme.service';
import { Framework } from '../framework/framework.type';
import type { ComplianceContext } from '../compliance.context';

@Resolver(() => Programme)
export class ProgrammeResolver {
  @Query(() => [Programme], { description: 'Adopted frameworks with status and readiness' })
  programmes(@Ctx() ctx: ComplianceContext): Promise<Programme[]> {
    return listProgrammes(ctx);
  }

  @Mutation(() => Programme)
  adoptFramework(
    @Arg('frameworkKey', () => String) frameworkKey: string,
    @Arg('version', () => String, { nullable: true, description: 'Default: the newest version' }) version: string | null,
    @Arg('includeStarterControls', () => Boolean, {
      defaultValue: true,
      description: 'Also create the starter control set (once per organisation), already mapped across SOC 2, ISO/IEC 27001, GDPR and DPDP',
    }) includeStarterControls: boolean,
    @Ctx() ctx: ComplianceContext,
  ): Promise<Programme> {
    return adoptFramework(ctx, frameworkKey, version, includeStarterControls);
  }

  @Mutation(() => Programme)
  updateProgramme(
    @Arg('id', () => ID) id: string, @Arg('input', () => ProgrammeInput) input: ProgrammeInput, @Ctx() ctx: ComplianceContext,
  ): Promise<Programme> {
    return updateProgramme(ctx, id, input);
  }

  @FieldResolver(() => Framework, { nullable: true })
  framework(@Root() programme: Programme, @Ctx() ctx: ComplianceContext): Promise<Framework | null> {
    return ctx.loaders.frameworkById.load(programme.frameworkId);
  }

  @FieldResolver(() => Readiness)
  readiness(@Root() programme: Programme, @Ctx() ctx: ComplianceContext): Promise<Readiness> {
    return ctx.loaders.readinessByProgramme.load(programme.id);
  }
}
