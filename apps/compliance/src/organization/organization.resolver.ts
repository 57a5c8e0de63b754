import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { OrganizationCompliance } from './organization.type';
import { Programme } from '../programme/programme.type';
import { programmesOf } from '../programme/programme.service';
import type { ComplianceContext } from '../compliance.context';

@Resolver(() => OrganizationCompliance)
export class OrganizationProgrammesResolver {
  /** The caller's own organisation only; empty for a caller who may not read programmes. */
  @FieldResolver(() => [Programme])
  programmes(@Root() org: OrganizationCompliance, @Ctx() ctx: ComplianceContext): Promise<Programme[]> {
    return programmesOf(ctx, org.id);
  }
}
