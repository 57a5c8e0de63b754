// Appending to an organisation's chain. Each append transaction takes the org's
// chain lock through audit.chain_head_lock (an advisory lock plus the head row, FOR
// UPDATE), so concurrent writers of one org queue up and the chain cannot fork;
// different orgs never wait on each other. The app role cannot write events or heads
// itself: audit.chain_append (SECURITY DEFINER) stores them, refusing events that do
// not continue the head and a head without a signature. Events already stored (at-least-once redelivery) are skipped, so seq has no
// holes. The new head is signed in the same transaction, and the rules that raise
// alerts run on the newly stored events before it commits.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { tenantTx } from '@packets/db';
import {
  checkpointSignatureValid, GENESIS_HASH, hashEvent, isoMillis, signCheckpoint, type AuditEvent, type ChainedEvent,
} from '@packets/audit-log';
import { runtimeNow } from '@packets/graphql';
import { headCheckpoint, type HeadRow } from './chain.rows';
import { evaluateAlerts } from '../alert/alert.rules';
import type { AuditRuntime } from '../audit.context';

/** A periodic checkpoint is kept every this many events (the signed head covers the rest). */
export const CHECKPOINT_EVERY = 1000;

export async function appendEvents(runtime: AuditRuntime, events: AuditEvent[]): Promise<number> {
  const byOrg = new Map<string, AuditEvent[]>();
  for (const e of events) {
    const list = byOrg.get(e.orgId);
    if (list) list.push(e);
    else byOrg.set(e.orgId, [e]);
  }
  let inserted = 0;
  let alerts = 0;
  for (const [orgId, list] of byOrg) {
    try {
      const out = await tenantTx(runtime.orm.em.fork(), orgId, (em) => appendOrg(em, runtime, orgId, list));
      inserted += out.inserted;
      alerts += out.alerts;
    } catch (err) {
      if (!(err instanceof ChainIntegrityError)) throw err;
      // Never extend (and re-sign) an altered chain, and never block the senders: a
      // relay would retry the batch forever and hold back every other org's events.
      alerts += await quarantine(runtime, orgId, list, err.message);
    }
  }
  if (alerts > 0) runtime.kickWebhooks();
  return inserted;
}

/** The org's chain is not what the service last signed: someone changed the database. */
export class ChainIntegrityError extends Error {}

async function quarantine(runtime: AuditRuntime, orgId: string, list: AuditEvent[], reason: string): Promise<number> {
  console.error(`audit: chain of org ${orgId} is altered (${reason}); ${list.length} event(s) quarantined`);
  const now = runtimeNow(runtime);
  return tenantTx(runtime.orm.em.fork(), orgId, async (em) => {
    await em.execute(
      `insert into audit.quarantine (id, org_id, payload, reason) select (e->>'id')::uuid, ?, e, ? from jsonb_array_elements(?::jsonb) e
       on conflict (id) do nothing`, [orgId, reason, JSON.stringify(list)],
    );
    const [recent] = await em.execute<{ n: string }[]>(
      `select count(*) as n from audit.alerts where org_id = ? and rule = 'chain_integrity' and created_at > ?`, [orgId, new Date(now.getTime() - 3600_000)],
    );
    if (Number(recent?.n ?? 0) > 0) return 0;
    await em.execute(
      `insert into audit.alerts (id, org_id, rule, severity, summary, details, created_at, webhook_status, webhook_next_at)
       select ?, ?, 'chain_integrity', 'high', 'The audit chain was altered in the database; new events are quarantined', ?, ?,
         case when s.webhook_enabled then 'pending' else 'none' end, case when s.webhook_enabled then now() end
       from (select bool_or(webhook_enabled) as webhook_enabled from audit.org_settings where org_id = ?) s`,
      [randomUUID(), orgId, JSON.stringify({ reason }), now, orgId],
    );
    return 1;
  });
}

async function appendOrg(
  em: EntityManager, runtime: AuditRuntime, orgId: string, list: AuditEvent[],
): Promise<{ inserted: number; alerts: number }> {
  // chain_head_lock (SECURITY DEFINER) serialises the org's writers and returns its head;
  // the app role may read the chain but not write it
  const [head] = await em.execute<HeadRow[]>(`select org_id, seq, hash, signed_at, key_id, signature from audit.chain_head_lock(?)`, [orgId]);
  if (head) {
    const signedHead = headCheckpoint(head);
    if (!signedHead) throw new ChainIntegrityError('chain head is not signed');
    if (!checkpointSignatureValid(runtime.publicKey, signedHead)) throw new ChainIntegrityError('chain head signature is invalid');
  }
  const ids = [...new Set(list.map((e) => e.id))];
  const stored = await em.execute<{ id: string }[]>(`select id from audit.events where id = any(?::uuid[])`, [`{${ids.join(',')}}`]);
  const seen = new Set(stored.map((r) => r.id));
  const oldSeq = head ? Number(head.seq) : 0;
  let seq = oldSeq;
  let prevHash = head ? head.hash : GENESIS_HASH;
  const receivedAt = isoMillis(runtimeNow(runtime));
  const chained: ChainedEvent[] = [];
  for (const e of list) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    seq += 1;
    const event: Omit<ChainedEvent, 'hash'> = {
      id: e.id, orgId, occurredAt: isoMillis(e.occurredAt), receivedAt, actorType: e.actorType, actorId: e.actorId ?? null,
      sessionId: e.sessionId ?? null, apiKeyId: e.apiKeyId ?? null, action: e.action, subjectType: e.subjectType ?? null,
      subjectId: e.subjectId ?? null, outcome: e.outcome, requestId: e.requestId ?? null, ip: e.ip ?? null,
      userAgent: e.userAgent?.slice(0, 500) ?? null, data: e.data, source: e.source, seq, prevHash,
    };
    const hash = hashEvent(event);
    chained.push({ ...event, hash });
    prevHash = hash;
  }
  if (chained.length === 0) return { inserted: 0, alerts: 0 };

  const signed = signCheckpoint(runtime.signingKey, { orgId, seq, headHash: prevHash, signedAt: receivedAt });
  // chain_append (SECURITY DEFINER) checks that the events continue the head, inserts them
  // and stores the new signed head
  await em.execute(`select audit.chain_append(?, ?::jsonb, ?, ?, ?) as n`,
    [orgId, JSON.stringify(chained), signed.signedAt, signed.keyId, signed.signature]).catch((err: unknown) => {
    // (org_id, seq) taken: an event was slipped in above the signed head
    if ((err as { code?: string }).code === '23505' && String((err as Error).message).includes('events_org_seq_idx')) {
      throw new ChainIntegrityError(`seq ${oldSeq + 1} is already taken by an event the service never appended`);
    }
    throw err;
  });
  if (Math.floor(oldSeq / CHECKPOINT_EVERY) !== Math.floor(seq / CHECKPOINT_EVERY)) {
    await insertCheckpoint(em, signed, 'periodic');
  }
  const alerts = await evaluateAlerts(em, runtime, orgId, chained);
  return { inserted: chained.length, alerts };
}

export async function insertCheckpoint(
  em: EntityManager, c: { orgId: string; seq: number; headHash: string; signedAt: string; keyId: string; signature: string },
  kind: 'periodic' | 'export' | 'retention',
): Promise<void> {
  await em.execute(
    `insert into audit.checkpoints (id, org_id, seq, head_hash, signed_at, key_id, signature, kind) values (?, ?, ?, ?, ?, ?, ?, ?)`,
    [randomUUID(), c.orgId, c.seq, c.headHash, c.signedAt, c.keyId, c.signature, kind],
  );
}
