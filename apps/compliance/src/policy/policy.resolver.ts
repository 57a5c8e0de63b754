import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { UserRef } from '@packets/graphql';
import { Coverage, Policy, PolicyAcknowledgement, PolicyVersion } from './policy.type';
import { PolicyInput } from './policy.inputs';
import {
  acknowledgePolicy, approvePolicy, createPolicy, draftPolicyVersion, listPolicies, myAcknowledgement, policyCoverage, publishPolicy,
  updatePolicyDraft,
} from './policy.service';
import type { ComplianceContext } from '../compliance.context';

@Resolver(() => Policy)
export class PolicyResolver {
  @Query(() => [Policy])
  policies(@Ctx() ctx: ComplianceContext): Promise<Policy[]> {
    return listPolicies(ctx);
  }

  @Query(() => Coverage, { description: "Who has and has not acknowledged the policy's published version" })
  policyCoverage(@Arg('policyId', () => ID) policyId: string, @Ctx() ctx: ComplianceContext): Promise<Coverage> {
    return policyCoverage(ctx, policyId);
  }

  @Mutation(() => Policy, { description: 'A new policy with its first version as a draft' })
  createPolicy(@Arg('input', () => PolicyInput) input: PolicyInput, @Ctx() ctx: ComplianceContext): Promise<Policy> {
    return createPolicy(ctx, input);
  }

  @Mutation(() => PolicyVersion, { description: 'Starts the next version of a policy, as a draft' })
  draftPolicyVersion(@Arg('policyId', () => ID) policyId: string, @Arg('body', () => String) body: string, @Ctx() ctx: ComplianceContext): Promise<PolicyVersion> {
    return draftPolicyVersion(ctx, policyId, body);
  }

  @Mutation(() => PolicyVersion, { description: 'Edits a version not yet published (an approved one goes back to draft)' })
  updatePolicyDraft(@Arg('versionId', () => ID) versionId: string, @Arg('body', () => String) body: string, @Ctx() ctx: ComplianceContext): Promise<PolicyVersion> {
    return updatePolicyDraft(ctx, versionId, body);
  }

  @Mutation(() => PolicyVersion)
  approvePolicy(@Arg('versionId', () => ID) versionId: string, @Ctx() ctx: ComplianceContext): Promise<PolicyVersion> {
    return approvePolicy(ctx, versionId);
  }

  @Mutation(() => PolicyVersion, { description: "Publishes the policy's version being worked on; the previous one is superseded and needs no more acknowledgements" })
  publishPolicy(@Arg('id', () => ID) id: string, @Ctx() ctx: ComplianceContext): Promise<PolicyVersion> {
    return publishPolicy(ctx, id);
  }

  @Mutation(() => PolicyAcknowledgement)
  acknowledgePolicy(@Arg('versionId', () => ID) versionId: string, @Ctx() ctx: ComplianceContext): Promise<PolicyAcknowledgement> {
    return acknowledgePolicy(ctx, versionId);
  }

  @FieldResolver(() => [PolicyVersion], { description: 'Newest first' })
  versions(@Root() policy: Policy, @Ctx() ctx: ComplianceContext): Promise<PolicyVersion[]> {
    return ctx.loaders.versionsByPolicy.load(policy.id);
  }

  @FieldResolver(() => PolicyVersion, { nullable: true, description: 'The published version in force' })
  async currentVersion(@Root() policy: Policy, @Ctx() ctx: ComplianceContext): Promise<PolicyVersion | null> {
    return (await ctx.loaders.versionsByPolicy.load(policy.id)).find((x) => x.status === 'PUBLISHED') ?? null;
  }

  @FieldResolver(() => UserRef, { nullable: true })
  createdBy(@Root() policy: Policy): UserRef | null {
    return policy.createdBy ? { id: policy.createdBy } : null;
  }
}

@Resolver(() => PolicyVersion)
export class PolicyVersionResolver {
  @FieldResolver(() => PolicyAcknowledgement, { nullable: true, description: "The caller's acknowledgement of this version" })
  myAcknowledgement(@Root() version: PolicyVersion, @Ctx() ctx: ComplianceContext): Promise<PolicyAcknowledgement | null> {
    return myAcknowledgement(ctx, version.id);
  }
}
