// The per-request DataLoaders of the compliance subgraph.
import type { RequestContext } from '@packets/graphql';
import type { ComplianceLoaders } from './compliance.context';
import { controlById, evidenceByControl, requirementsByControl } from './control/control.loaders';
import { frameworkById, requirementsByFramework } from './framework/framework.loaders';
import { readinessByProgramme } from './programme/programme.loaders';
import { myAcknowledgementByVersion, policyVersionById, versionsByPolicy } from './policy/policy.loaders';

export function complianceLoaders(ctx: RequestContext<ComplianceLoaders>): ComplianceLoaders {
  return {
    controlById: controlById(ctx),
    frameworkById: frameworkById(ctx),
    requirementsByFramework: requirementsByFramework(ctx),
    requirementsByControl: requirementsByControl(ctx),
    evidenceByControl: evidenceByControl(ctx),
    readinessByProgramme: readinessByProgramme(ctx),
    policyVersionById: policyVersionById(ctx),
    versionsByPolicy: versionsByPolicy(ctx),
    myAcknowledgementByVersion: myAcknowledgementByVersion(ctx),
  };
}
