// Raw rows of the log, read without entity hydration: verification and exports
// walk up to millions of them a page at a time.
import type { ChainedEvent, Checkpoint } from '@packets/audit-log';

export const EVENT_COLUMNS = `id, org_id, seq, prev_hash, hash, occurred_at, received_at, actor_type, actor_id, session_id, api_key_id,
  action, subject_type, subject_id, outcome, request_id, ip, user_agent, data, source`;

export interface EventRow {
  id: string; org_id: string; seq: string | number; prev_hash: string; hash: string; occurred_at: Date; received_at: Date;
  actor_type: ChainedEvent['actorType']; actor_id: string | null; session_id: string | null; api_key_id: string | null;
  action: string; subject_type: string | null; subject_id: string | null; outcome: ChainedEvent['outcome'];
  request_id: string | null; ip: string | null; user_agent: string | null; data: Record<string, unknown>; source: string;
}

export function toChained(r: EventRow): ChainedEvent {
  return {
    id: r.id, orgId: r.org_id, seq: Number(r.seq), prevHash: r.prev_hash, hash: r.hash,
    occurredAt: new Date(r.occurred_at).toISOString(), receivedAt: new Date(r.received_at).toISOString(),
    actorType: r.actor_type, actorId: r.actor_id, sessionId: r.session_id, apiKeyId: r.api_key_id, action: r.action,
    subjectType: r.subject_type, subjectId: r.subject_id, outcome: r.outcome, requestId: r.request_id, ip: r.ip,
    userAgent: r.user_agent, data: r.data, source: r.source,
  };
}

export const CHECKPOINT_COLUMNS = 'org_id, seq, head_hash, signed_at, key_id, signature, kind';

export interface CheckpointRow {
  org_id: string; seq: string | number; head_hash: string; signed_at: Date; key_id: string; signature: string; kind: string;
}

export function toCheckpoint(r: CheckpointRow): Checkpoint & { kind: string } {
  return {
    orgId: r.org_id, seq: Number(r.seq), headHash: r.head_hash, signedAt: new Date(r.signed_at).toISOString(),
    keyId: r.key_id, signature: r.signature, kind: r.kind,
  };
}

export interface HeadRow {
  org_id: string; seq: string | number; hash: string; signed_at: Date | null; key_id: string | null; signature: string | null;
}

/** The signed head as a checkpoint, or null when it was never signed (rows chained by the migration). */
export function headCheckpoint(r: HeadRow): Checkpoint | null {
  if (!r.signature || !r.signed_at || !r.key_id) return null;
  return { orgId: r.org_id, seq: Number(r.seq), headHash: r.hash, signedAt: new Date(r.signed_at).toISOString(), keyId: r.key_id, signature: r.signature };
}
