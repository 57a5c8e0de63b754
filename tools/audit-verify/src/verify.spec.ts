// The offline verifier on files built here with the chain library: what a real
// export holds (header, signed checkpoints, events), then altered by hand.
import { describe, expect, it } from 'vitest';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { GENESIS_HASH, hashEvent, keyIdOf, publicKeyBase64, signCheckpoint, type ChainedEvent } from '@packets/audit-log';
import { describe as describeResult, verifyExportStream } from './verify';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const orgId = randomUUID();

function exportLines(n: number): Record<string, unknown>[] {
  const events: ChainedEvent[] = [];
  let prev = { seq: 0, hash: GENESIS_HASH };
  for (let i = 0; i < n; i++) {
    const base = {
      id: randomUUID(), orgId, occurredAt: '2026-01-01T00:00:00.000Z', receivedAt: '2026-01-01T00:00:01.000Z', actorType: 'user' as const,
      actorId: randomUUID(), sessionId: null, apiKeyId: null, action: 'control.create', subjectType: 'Control', subjectId: randomUUID(),
      outcome: 'success' as const, requestId: null, ip: null, userAgent: null, data: { title: `t${i}` }, source: 'compliance',
      seq: prev.seq + 1, prevHash: prev.hash,
    };
    const e = { ...base, hash: hashEvent(base) };
    events.push(e);
    prev = { seq: e.seq, hash: e.hash };
  }
  const head = signCheckpoint(privateKey, { orgId, seq: n, headHash: prev.hash, signedAt: new Date().toISOString() });
  return [
    { type: 'export', version: 1, exportId: randomUUID(), orgId, exportedAt: new Date().toISOString(), contiguous: true, filter: {}, headSeq: n, keyId: keyIdOf(publicKey), publicKey: publicKeyBase64(publicKey) },
    { type: 'checkpoint', role: 'head', kind: 'export', ...head },
    ...events.map((e) => ({ type: 'event', ...e })),
  ];
}

const run = (lines: Record<string, unknown>[], key = publicKey) =>
  verifyExportStream(Readable.from([lines.map((l) => JSON.stringify(l)).join('\n')]), key);

describe('offline verification of a JSON Lines export', () => {
  it('says OK for an intact export', async () => {
    const result = await run(exportLines(5));
    expect(result).toMatchObject({ ok: true, checkedCount: 5, headSeq: 5, contiguous: true });
    expect(describeResult(result)).toMatch(/^OK: 5 events verified \(complete chain\)/);
  });

  it('names an edited event', async () => {
    const lines = exportLines(5);
    (lines[4] as { data: unknown }).data = { title: 'edited' };
    const result = await run(lines);
    expect(result).toMatchObject({ ok: false, firstBrokenEventId: lines[4]!.id, firstBrokenSeq: 3 });
    expect(describeResult(result)).toContain(`first bad event ${String(lines[4]!.id)} (seq 3)`);
  });

  it('names the event after a removed line, and notices a removed tail', async () => {
    const lines = exportLines(5);
    const removed = lines.splice(3, 1);
    expect(await run(lines)).toMatchObject({ ok: false, firstBrokenEventId: lines[3]!.id });
    expect(removed).toHaveLength(1);
    const tail = exportLines(5).slice(0, -1);
    expect(await run(tail)).toMatchObject({ ok: false, firstBrokenEventId: null, firstBrokenSeq: 5 });
  });

  it('refuses another key, and a file that is not an export', async () => {
    const other = generateKeyPairSync('ed25519').publicKey;
    expect((await run(exportLines(2), other)).reason).toMatch(/not with the given key/);
    expect((await run([{ hello: 'world' }])).reason).toMatch(/not an export header/);
  });
});
