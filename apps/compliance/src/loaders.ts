// The compliance subgraph's per-request DataLoaders, assembled from its features'
// (x.loaders.ts): every reference and relation resolves through one of these.
import type { RequestContext } from '@packets/graphql';
import { controlLoaders, type ControlLoaders } from './control/control.loaders';
import { frameworkLoaders, type FrameworkLoaders } from './framework/framework.loaders';
import { programmeLoaders, type ProgrammeLoaders } from './programme/programme.loaders';
import { policyLoaders, type PolicyLoaders } from './policy/policy.loaders';

export type ComplianceLoaders = ControlLoaders & FrameworkLoaders & ProgrammeLoaders & PolicyLoaders;

export function complianceLoaders(ctx: RequestContext<ComplianceLoaders>): ComplianceLoaders {
  return { ...controlLoaders(ctx), ...frameworkLoaders(ctx), ...programmeLoaders(ctx), ...policyLoaders(ctx) };
}
