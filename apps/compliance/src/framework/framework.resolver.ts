import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Framework, Requirement, toFramework, toRequirement } from './framework.type';
import { listFrameworks } from './framework.service';
import { exportControlsOscal, exportFrameworkOscal, importOscalFramework } from '../oscal/oscal.service';
import type { ComplianceContext } from '../compliance.context';

@Resolver(() => Framework)
export class FrameworkResolver {
  @Query(() => [Framework], { description: 'Built-in catalogues and those this organisation imported' })
  async frameworks(@Ctx() ctx: ComplianceContext): Promise<Framework[]> {
    return (await listFrameworks(ctx)).map(toFramework);
  }

  @FieldResolver(() => [Requirement])
  async requirements(@Root() framework: Framework, @Ctx() ctx: ComplianceContext): Promise<Requirement[]> {
    return (await ctx.loaders.requirementsByFramework.load(framework.id)).map(toRequirement);
  }

  @Mutation(() => Framework, {
    description: 'Imports an OSCAL 1.x catalog (JSON text) as a catalogue of this organisation. Documents over 1 MB: POST /oscal/catalog/import on the gateway',
  })
  async importOscalCatalog(
    @Arg('document', () => String) document: string,
    @Arg('key', () => String, { nullable: true, description: 'Catalogue key; default: the document\'s packets catalog-key prop, else a slug of its title' }) key: string | null,
    @Ctx() ctx: ComplianceContext,
  ): Promise<Framework> {
    return toFramework(await importOscalFramework(ctx, document, key));
  }

  @Query(() => String, { description: 'A catalogue as an OSCAL 1.1.2 catalog (JSON text)' })
  exportFrameworkOscal(
    @Arg('frameworkKey', () => String) frameworkKey: string,
    @Arg('version', () => String, { nullable: true }) version: string | null,
    @Ctx() ctx: ComplianceContext,
  ): Promise<string> {
    return exportFrameworkOscal(ctx, frameworkKey, version);
  }

  @Query(() => String, { description: "The organisation's controls with their mappings and status, as an OSCAL 1.1.2 component definition (JSON text)" })
  exportControlsOscal(
    @Arg('organizationName', () => String, { nullable: true }) organizationName: string | null,
    @Ctx() ctx: ComplianceContext,
  ): Promise<string> {
    return exportControlsOscal(ctx, organizationName);
  }
}

@Resolver(() => Requirement)
export class RequirementResolver {
  @FieldResolver(() => Framework, { nullable: true })
  async framework(@Root() requirement: Requirement, @Ctx() ctx: ComplianceContext): Promise<Framework | null> {
    const row = await ctx.loaders.frameworkById.load(requirement.frameworkId);
    return row ? toFramework(row) : null;
  }
}
