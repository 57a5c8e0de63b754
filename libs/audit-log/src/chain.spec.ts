import { describe, expect, it } from 'vitest';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import {
  canonicalJson, ChainVerifier, GENESIS_HASH, hashEvent, signCheckpoint, checkpointSignatureValid, type ChainedEvent,
} from './chain';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const orgId = randomUUID();

function chain(n: number, from = { seq: 0, hash: GENESIS_HASH }): ChainedEvent[] {
  const out: ChainedEvent[] = [];
  let prev = from;
  for (let i = 0; i < n; i++) {
    const base = {
      id: randomUUID(), orgId, occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), receivedAt: '2026-01-01T00:01:00.000Z',
      actorType: 'user' as const, actorId: randomUUID(), sessionId: null, apiKeyId: null, action: 'control.update', subjectType: 'Control',
      subjectId: randomUUID(), outcome: 'success' as const, requestId: null, ip: '127.0.0.1', userAgent: 'test', data: { i, nested: { b: 1, a: [2, 'x'] } },
      source: 'compliance', seq: prev.seq + 1, prevHash: prev.hash,
    };
    const e = { ...base, hash: hashEvent(base) };
    out.push(e);
    prev = { seq: e.seq, hash: e.hash };
  }
  return out;
}

function verify(events: ChainedEvent[], head = true) {
  const v = new ChainVerifier(orgId, publicKey);
  const last = events.at(-1)!;
  if (head) v.setHead(signCheckpoint(privateKey, { orgId, seq: last.seq, headHash: last.hash, signedAt: new Date().toISOString() }));
  for (const e of events) v.add(e);
  return v.finish();
}

describe('canonical JSON', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });
  it('ignores key insertion order, so the same event always hashes the same', () => {
    const [e] = chain(1);
    const reordered = Object.fromEntries(Object.entries(e!).reverse()) as unknown as ChainedEvent;
    expect(hashEvent(reordered)).toBe(e!.hash);
  });
});

describe('checkpoints', () => {
  it('verify with the public key and fail when any value changes', () => {
    const c = signCheckpoint(privateKey, { orgId, seq: 5, headHash: 'ab'.repeat(32), signedAt: '2026-01-01T00:00:00.000Z' });
    expect(checkpointSignatureValid(publicKey, c)).toBe(true);
    expect(checkpointSignatureValid(publicKey, { ...c, seq: 6 })).toBe(false);
    expect(checkpointSignatureValid(generateKeyPairSync('ed25519').publicKey, c)).toBe(false);
  });
});

describe('ChainVerifier', () => {
  it('accepts an intact chain and reports its head', () => {
    const events = chain(5);
    expect(verify(events)).toMatchObject({ ok: true, checkedCount: 5, headSeq: 5, headHash: events[4]!.hash, firstBrokenEventId: null });
  });

  it('names a changed event', () => {
    const events = chain(5);
    events[2] = { ...events[2]!, data: { i: 99 } };
    expect(verify(events)).toMatchObject({ ok: false, firstBrokenEventId: events[2].id, firstBrokenSeq: 3 });
  });

  it('names the event after a deleted one', () => {
    const events = chain(5);
    const after = events[3]!;
    events.splice(2, 1);
    expect(verify(events)).toMatchObject({ ok: false, firstBrokenEventId: after.id });
  });

  it('names the first of two swapped events', () => {
    const events = chain(5);
    const a = events[1]!;
    const b = events[3]!;
    events[1] = { ...b, seq: a.seq, prevHash: a.prevHash };
    events[3] = { ...a, seq: b.seq, prevHash: b.prevHash };
    expect(verify(events)).toMatchObject({ ok: false, firstBrokenEventId: b.id, firstBrokenSeq: 2 });
  });

  it('refuses a re-hashed chain that no longer matches the signed head', () => {
    const events = chain(3);
    const head = signCheckpoint(privateKey, { orgId, seq: 3, headHash: events[2]!.hash, signedAt: new Date().toISOString() });
    // an attacker rewrites event 2 and recomputes every hash after it
    const forged = [events[0]!];
    let prev = { seq: 1, hash: events[0]!.hash };
    for (const e of events.slice(1)) {
      const base = { ...e, data: { forged: true }, prevHash: prev.hash };
      const f = { ...base, hash: hashEvent(base) };
      forged.push(f);
      prev = { seq: f.seq, hash: f.hash };
    }
    const v = new ChainVerifier(orgId, publicKey);
    v.setHead(head);
    for (const e of forged) v.add(e);
    expect(v.finish()).toMatchObject({ ok: false, firstBrokenEventId: forged[2]!.id, reason: expect.stringContaining('signed checkpoint') as string });
  });

  it('refuses an event appended after the signed head, and a chain ending short of it', () => {
    const events = chain(4);
    const v = new ChainVerifier(orgId, publicKey);
    v.setHead(signCheckpoint(privateKey, { orgId, seq: 3, headHash: events[2]!.hash, signedAt: new Date().toISOString() }));
    for (const e of events) v.add(e);
    expect(v.finish()).toMatchObject({ ok: false, firstBrokenEventId: events[3]!.id });
    expect(verify(events.slice(0, 3).concat([]), false).ok).toBe(true);
    const short = new ChainVerifier(orgId, publicKey);
    short.setHead(signCheckpoint(privateKey, { orgId, seq: 4, headHash: events[3]!.hash, signedAt: new Date().toISOString() }));
    for (const e of events.slice(0, 3)) short.add(e);
    expect(short.finish()).toMatchObject({ ok: false, firstBrokenSeq: 4 });
  });

  it('continues from a retention checkpoint', () => {
    const first = chain(3);
    const rest = chain(2, { seq: 3, hash: first[2]!.hash });
    const v = new ChainVerifier(orgId, publicKey);
    v.setBase(signCheckpoint(privateKey, { orgId, seq: 3, headHash: first[2]!.hash, signedAt: new Date().toISOString() }));
    for (const e of rest) v.add(e);
    expect(v.finish()).toMatchObject({ ok: true, checkedCount: 2, headSeq: 5 });
    // without the checkpoint the missing prefix is reported
    const bare = new ChainVerifier(orgId, publicKey);
    for (const e of rest) bare.add(e);
    expect(bare.finish()).toMatchObject({ ok: false, firstBrokenEventId: rest[0]!.id });
  });

  it('refuses a checkpoint signed by another key', () => {
    const events = chain(2);
    const v = new ChainVerifier(orgId, publicKey);
    v.setHead(signCheckpoint(generateKeyPairSync('ed25519').privateKey, { orgId, seq: 2, headHash: events[1]!.hash, signedAt: new Date().toISOString() }));
    for (const e of events) v.add(e);
    expect(v.finish()).toMatchObject({ ok: false, reason: expect.stringContaining('invalid signature') as string });
  });
});
