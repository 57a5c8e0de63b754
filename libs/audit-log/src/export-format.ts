// The audit export formats. JSON Lines carries everything the offline verifier
// needs (tools/audit-verify): a header, the signed checkpoints, then the events in
// chain order with their seq and hashes. CSV carries the same event columns for
// spreadsheets and is not meant for verification.
import type { ChainedEvent, Checkpoint } from './chain';

export const EXPORT_FORMAT_VERSION = 1;

export type ExportFormat = 'JSONL' | 'CSV';

export interface ExportHeaderLine {
  type: 'export';
  version: number;
  exportId: string;
  orgId: string;
  exportedAt: string;
  /** true when the export is the whole remaining log up to `headSeq` (no filter): gaps then mean missing events */
  contiguous: boolean;
  filter: Record<string, unknown>;
  headSeq: number;
  keyId: string;
  /** informational: the verifier must be given the key it trusts, not this one */
  publicKey: string;
}

/**
 * `base`: the retention checkpoint the remaining chain continues from;
 * `head`: the signed head the export ends on; `checkpoint`: any other signed checkpoint.
 */
export type CheckpointRole = 'base' | 'head' | 'checkpoint';

export interface ExportCheckpointLine extends Checkpoint {
  type: 'checkpoint';
  role: CheckpointRole;
  kind: string;
}

export interface ExportEventLine extends ChainedEvent {
  type: 'event';
}

export type ExportLine = ExportHeaderLine | ExportCheckpointLine | ExportEventLine;

export const CSV_COLUMNS = [
  'seq', 'id', 'occurredAt', 'receivedAt', 'actorType', 'actorId', 'sessionId', 'apiKeyId', 'action', 'subjectType',
  'subjectId', 'outcome', 'requestId', 'ip', 'userAgent', 'source', 'data', 'prevHash', 'hash',
] as const;

export function csvRecord(e: ChainedEvent): Record<(typeof CSV_COLUMNS)[number], string | number | null> {
  return {
    seq: e.seq, id: e.id, occurredAt: e.occurredAt, receivedAt: e.receivedAt, actorType: e.actorType, actorId: e.actorId,
    sessionId: e.sessionId, apiKeyId: e.apiKeyId, action: e.action, subjectType: e.subjectType, subjectId: e.subjectId,
    outcome: e.outcome, requestId: e.requestId, ip: e.ip, userAgent: e.userAgent, source: e.source,
    data: JSON.stringify(e.data), prevHash: e.prevHash, hash: e.hash,
  };
}

// where the gateway serves a download and what a page of it looks like: the exportPage protocol
export { EXPORT_DOWNLOAD_PATH, type ExportPageResponse } from '@packets/context';
