// The chain through the graph: verification, the signed checkpoints and the
// public key they verify with. Reading any of it is reading the log.
import { checkpointPayload, publicKeyBase64 } from '@packets/audit-log';
import { decodeCursor, pageSize, toConnection, type ConnectionShape } from '@packets/graphql';
import type { AuditContext } from '../audit.context';
import type { AuditCheckpoint, AuditSigningKey, AuditVerification } from './chain.type';
import { verifyOrgChain } from './chain.verify';
import { toCheckpoint, type CheckpointRow } from './chain.rows';

export async function verifyChain(ctx: AuditContext): Promise<AuditVerification> {
  ctx.authorize('read', 'AuditEvent');
  return verifyOrgChain(ctx.em.fork(), ctx.orgId, ctx.runtime.publicKey);
}

export function signingKey(ctx: AuditContext): AuditSigningKey {
  ctx.authorize('read', 'AuditEvent');
  return { keyId: ctx.runtime.keyId, algorithm: 'Ed25519', publicKey: publicKeyBase64(ctx.runtime.publicKey) };
}

/** Newest first. The cursor's time is the checkpoint's created_at. */
export async function listCheckpoints(ctx: AuditContext, first: number | null | undefined, after: string | null | undefined): Promise<ConnectionShape<AuditCheckpoint>> {
  ctx.authorize('read', 'AuditEvent');
  const size = pageSize(first, 20);
  const cursor = decodeCursor(after);
  type Row = CheckpointRow & { id: string; created_at: Date };
  const rows = await ctx.tx((em) => em.execute<Row[]>(
    `select id, created_at, org_id, seq, head_hash, signed_at, key_id, signature, kind from audit.checkpoints
      where org_id = ? ${cursor ? 'and (created_at, id) < (?, ?)' : ''} order by created_at desc, id desc limit ?`,
    cursor ? [ctx.orgId, cursor.createdAt, cursor.id, size + 1] : [ctx.orgId, size + 1],
  ));
  return toConnection(rows, size, (r) => {
    const c = toCheckpoint(r);
    return { id: r.id, seq: c.seq, headHash: c.headHash, signedAt: new Date(c.signedAt), kind: c.kind, keyId: c.keyId, signature: c.signature, payload: checkpointPayload(c) };
  }, (r) => ({ createdAt: new Date(r.created_at), id: r.id }));
}
