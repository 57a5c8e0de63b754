// Re-computes an organisation's chain from the database: one REPEATABLE READ
// transaction (the head and the events from the same snapshot, so concurrent
// appends cannot look like tampering), events read a page at a time in seq order,
// so memory does not grow with the log.
import type { KeyObject } from 'node:crypto';
import { IsolationLevel } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ChainVerifier, type VerificationResult } from '@packets/audit-log';
import {
  CHECKPOINT_COLUMNS, EVENT_COLUMNS, headCheckpoint, toChained, toCheckpoint, type CheckpointRow, type EventRow, type HeadRow,
} from './chain.rows';

export const VERIFY_PAGE = 5000;

export async function verifyOrgChain(
  em: EntityManager, orgId: string, publicKey: KeyObject, opts: { fromSeq?: number; toSeq?: number } = {},
): Promise<VerificationResult> {
  return em.transactional(async (tem) => {
    await tem.execute(`select set_config('app.org_id', ?, true)`, [orgId]);
    const [head] = await tem.execute<HeadRow[]>(`select org_id, seq, hash, signed_at, key_id, signature from audit.chain_heads where org_id = ?`, [orgId]);
    const checkpoints = (await tem.execute<CheckpointRow[]>(
      `select ${CHECKPOINT_COLUMNS} from audit.checkpoints where org_id = ? order by seq`, [orgId],
    )).map(toCheckpoint);
    const whole = opts.toSeq === undefined;
    const verifier = new ChainVerifier(orgId, publicKey, opts.fromSeq === undefined, whole);
    const base = checkpoints.filter((c) => c.kind === 'retention').at(-1);
    if (base) verifier.setBase(base);
    for (const c of checkpoints) if (c !== base) verifier.addCheckpoint(c);
    const signedHead = head && whole ? headCheckpoint(head) : null;
    if (signedHead) verifier.setHead(signedHead);
    else if (head && whole) verifier.unsignedHead(Number(head.seq));
    let after = opts.fromSeq !== undefined ? opts.fromSeq - 1 : -1;
    const last = opts.toSeq ?? Number.MAX_SAFE_INTEGER;
    while (!verifier.failed) {
      const rows = await tem.execute<EventRow[]>(
        `select ${EVENT_COLUMNS} from audit.events where org_id = ? and seq > ? and seq <= ? order by seq limit ?`,
        [orgId, after, last, VERIFY_PAGE],
      );
      for (const r of rows) verifier.add(toChained(r));
      if (rows.length < VERIFY_PAGE) break;
      after = Number(rows.at(-1)!.seq);
    }
    return verifier.finish();
  }, { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true });
}
