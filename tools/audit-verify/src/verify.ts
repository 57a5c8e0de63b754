// Verifies an audit export (JSON Lines from exportAuditEvents) offline, with only
// the audit signing public key: every event's hash, the links between events, the
// signed checkpoints and the signed head. Reads the file line by line, so memory
// stays flat however long the export is.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { KeyObject } from 'node:crypto';
import {
  ChainVerifier, EXPORT_FORMAT_VERSION, keyIdOf, type ExportHeaderLine, type ExportLine, type VerificationResult,
} from '@packets/audit-log';

export interface OfflineResult extends VerificationResult {
  orgId: string | null;
  exportId: string | null;
  contiguous: boolean;
}

function failed(reason: string, partial: Partial<OfflineResult> = {}): OfflineResult {
  return {
    ok: false, checkedCount: 0, firstBrokenEventId: null, firstBrokenSeq: null, reason, headHash: null, headSeq: null,
    orgId: null, exportId: null, contiguous: false, ...partial,
  };
}

export async function verifyExportStream(input: Readable, publicKey: KeyObject): Promise<OfflineResult> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let header: ExportHeaderLine | null = null;
  let verifier: ChainVerifier | null = null;
  let lineNo = 0;
  let eventsStarted = false;
  for await (const text of lines) {
    lineNo += 1;
    if (text.trim() === '') continue;
    let line: ExportLine;
    try {
      line = JSON.parse(text) as ExportLine;
    } catch {
      return failed(`line ${lineNo} is not JSON`);
    }
    if (!header) {
      if (line.type !== 'export') return failed('the first line is not an export header (is this a JSON Lines export?)');
      if (line.version !== EXPORT_FORMAT_VERSION) return failed(`unsupported export version ${line.version}`);
      header = line;
      if (header.keyId !== keyIdOf(publicKey)) {
        return failed(`the export was signed with key ${header.keyId}, not with the given key ${keyIdOf(publicKey)}`, { orgId: header.orgId, exportId: header.exportId });
      }
      // every export of events carries the signed head it was cut at; without one, fail
      verifier = new ChainVerifier(header.orgId, publicKey, header.contiguous, true);
      continue;
    }
    const v = verifier!;
    if (line.type === 'checkpoint') {
      if (eventsStarted) return failed(`line ${lineNo}: checkpoint after the events`);
      const checkpoint = { orgId: line.orgId, seq: line.seq, headHash: line.headHash, signedAt: line.signedAt, keyId: line.keyId, signature: line.signature };
      if (line.role === 'base') v.setBase(checkpoint);
      else if (line.role === 'head') v.setHead(checkpoint);
      else v.addCheckpoint(checkpoint);
    } else if (line.type === 'event') {
      eventsStarted = true;
      v.add(line);
      if (v.failed) break;
    } else {
      return failed(`line ${lineNo}: unexpected line type`);
    }
  }
  if (!header || !verifier) return failed('empty export');
  return { ...verifier.finish(), orgId: header.orgId, exportId: header.exportId, contiguous: header.contiguous };
}

export function verifyExportFile(path: string, publicKey: KeyObject): Promise<OfflineResult> {
  return verifyExportStream(createReadStream(path), publicKey);
}

/** One line for people, naming the first bad event. */
export function describe(result: OfflineResult): string {
  if (result.ok) {
    const scope = result.contiguous ? 'complete chain' : 'filtered export: each event and each consecutive pair checked';
    return `OK: ${result.checkedCount} events verified (${scope}); head seq ${result.headSeq ?? '-'} hash ${result.headHash ?? '-'}`;
  }
  const where = result.firstBrokenEventId
    ? `first bad event ${result.firstBrokenEventId} (seq ${result.firstBrokenSeq})`
    : result.firstBrokenSeq !== null ? `at seq ${result.firstBrokenSeq}` : 'in the export';
  return `FAILED: ${where}: ${result.reason}`;
}
