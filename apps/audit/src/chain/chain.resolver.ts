import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { AuditContext } from '../audit.context';
import { AuditCheckpointConnection, AuditSigningKey, AuditVerification } from './chain.type';
import { listCheckpoints, signingKey, verifyChain } from './chain.service';

@Resolver()
export class AuditChainResolver {
  @Query(() => AuditVerification, { description: "Re-computes the organisation's hash chain and checks its signed checkpoints" })
  verifyAuditChain(@Ctx() ctx: AuditContext) {
    return verifyChain(ctx);
  }

  @Query(() => AuditCheckpointConnection, { description: 'Signed checkpoints of the chain, newest first (publishable)' })
  auditCheckpoints(
    @Ctx() ctx: AuditContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    return listCheckpoints(ctx, first, after);
  }

  @Query(() => AuditSigningKey, { description: 'The Ed25519 public key checkpoints verify with' })
  auditSigningKey(@Ctx() ctx: AuditContext) {
    return signingKey(ctx);
  }
}
