import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { ComplianceSettings, ComplianceSettingsInput } from './settings.type';
import { getComplianceSettings, updateComplianceSettings } from './settings.service';
import type { ComplianceContext } from '../compliance.context';

@Resolver(() => ComplianceSettings)
export class ComplianceSettingsResolver {
  @Query(() => ComplianceSettings)
  complianceSettings(@Ctx() ctx: ComplianceContext): Promise<ComplianceSettings> {
    return getComplianceSettings(ctx);
  }

  @Mutation(() => ComplianceSettings)
  updateComplianceSettings(@Arg('input', () => ComplianceSettingsInput) input: ComplianceSettingsInput, @Ctx() ctx: ComplianceContext): Promise<ComplianceSettings> {
    return updateComplianceSettings(ctx, input);
  }
}
