import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Framework, Requirement } from './framework.type';
import { listFrameworks } from './framework.service';
import { exportControlsOscal, exportFrameworkOscal, importOscalFramework } from '../oscal/oscal.service';
import type { ComplianceContext } from '../compliance.context';

@Resolver(() => Framework)
export class FrameworkResolver {
  @Query(() => [Framework], { description: 'Built-in catalogues and those this organisation imported' })
  frameworks(@Ctx() ctx: ComplianceContext): Promise<Framework[]> {
    return listFrameworks(ctx);
  }

  @FieldResolver(() => [Requirement])
  requirements(@Root() framework: Framework, @Ctx() ctx: ComplianceContext): Promise<Requirement[]> {
    return ctx.loaders.requirementsByFramework.load(framework.id);
  }

  @Mutation(() => Framework, {
    description: 'Imports an OSCAL 1.x catalog (JSON text) as a catalogue of this organisation. Documents over 1 MB: POST /oscal/catalog/import on the gateway',
  })
  async importOscalCatalog(
    @Arg('document', () => String) document: string,
    @Arg('key', () => String, { nullable: true, description: 'Catalogue key; default: the document\'s packets catalog-key prop, else a slug of its title' }) key: string | null,
    @Ctx() ctx: ComplianceContext,
  ): Promise<Framework> {
    return importOscalFramework(ctx, document, key);
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
  framework(@Root() requirement: Requirement, @Ctx() ctx: ComplianceContext): Promise<Framework | null> {
    return ctx.loaders.frameworkById.load(requirement.frameworkId);
  }
}
