// The per-organisation hash chain and its signed checkpoints. One definition,
// used by the audit subgraph (append, verifyAuditChain, retention) and by the
// offline verifier (tools/audit-verify): both must encode an event byte for byte
// the same way, so the encoding lives here and nowhere else.
//
// hash(event) = SHA-256("packets.audit.event.v1\n" || canonical JSON of the event's
// stored fields, its seq and the previous event's hash); the first event of an org
// has prevHash = 64 zeros. A checkpoint is (org, seq, head hash, time) signed with
// Ed25519 over the canonical JSON of those four values.
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { AuditEvent } from './event';

export const GENESIS_HASH = '0'.repeat(64);
const EVENT_DOMAIN = 'packets.audit.event.v1\n';
const CHECKPOINT_TYPE = 'packets.audit.checkpoint.v1';

/** An event as stored in the log: the wire event plus its place in the chain. */
export interface ChainedEvent extends AuditEvent {
  seq: number;
  receivedAt: string;
  prevHash: string;
  hash: string;
}

/**
 * Canonical JSON (RFC 8785 style): object keys sorted by UTF-16 code units at every
 * depth, no whitespace, numbers and strings as JSON.stringify writes them.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const s = JSON.stringify(value);
    // undefined, functions and symbols have no JSON form; inside the log they never occur
    if (s === undefined) throw new TypeError('value has no canonical JSON form');
    return s;
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** Timestamps are hashed as ISO 8601 UTC with milliseconds, the precision both ends keep. */
export function isoMillis(value: string | Date): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

/** The exact bytes that are hashed for one event. */
export function eventPreimage(e: Omit<ChainedEvent, 'hash'>): string {
  return EVENT_DOMAIN + canonicalJson({
    v: 1,
    orgId: e.orgId,
    seq: e.seq,
    prevHash: e.prevHash,
    id: e.id,
    occurredAt: isoMillis(e.occurredAt),
    receivedAt: isoMillis(e.receivedAt),
    actorType: e.actorType,
    actorId: e.actorId ?? null,
    sessionId: e.sessionId ?? null,
    apiKeyId: e.apiKeyId ?? null,
    action: e.action,
    subjectType: e.subjectType ?? null,
    subjectId: e.subjectId ?? null,
    outcome: e.outcome,
    requestId: e.requestId ?? null,
    ip: e.ip ?? null,
    userAgent: e.userAgent ?? null,
    data: e.data,
    source: e.source,
  });
}

export function hashEvent(e: Omit<ChainedEvent, 'hash'>): string {
  return createHash('sha256').update(eventPreimage(e)).digest('hex');
}

/** A signed statement: "org's chain had this hash at this seq at this time". */
export interface Checkpoint {
  orgId: string;
  seq: number;
  headHash: string;
  signedAt: string;
  keyId: string;
  /** Ed25519 signature over checkpointPayload, base64 */
  signature: string;
}

export function checkpointPayload(c: Pick<Checkpoint, 'orgId' | 'seq' | 'headHash' | 'signedAt'>): string {
  return canonicalJson({ type: CHECKPOINT_TYPE, orgId: c.orgId, seq: c.seq, headHash: c.headHash, signedAt: isoMillis(c.signedAt) });
}

/** Short id of a public key: the first 16 hex digits of SHA-256 over its SPKI DER. */
export function keyIdOf(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256').update(pub.export({ format: 'der', type: 'spki' })).digest('hex').slice(0, 16);
}

export function publicKeyBase64(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return pub.export({ format: 'der', type: 'spki' }).toString('base64');
}

export function signCheckpoint(
  privateKey: KeyObject, c: Pick<Checkpoint, 'orgId' | 'seq' | 'headHash' | 'signedAt'>,
): Checkpoint {
  const signedAt = isoMillis(c.signedAt);
  const signature = sign(null, Buffer.from(checkpointPayload({ ...c, signedAt })), privateKey).toString('base64');
  return { orgId: c.orgId, seq: c.seq, headHash: c.headHash, signedAt, keyId: keyIdOf(privateKey), signature };
}

export function checkpointSignatureValid(publicKey: KeyObject, c: Checkpoint): boolean {
  try {
    return verify(null, Buffer.from(checkpointPayload(c)), publicKey, Buffer.from(c.signature, 'base64'));
  } catch {
    return false;
  }
}

export interface VerificationResult {
  ok: boolean;
  checkedCount: number;
  /** the first event that does not verify (altered, out of place, or after a gap) */
  firstBrokenEventId: string | null;
  firstBrokenSeq: number | null;
  reason: string | null;
  /** hash of the last event checked */
  headHash: string | null;
  headSeq: number | null;
}

/**
 * Streaming verifier: give it the signed checkpoints first (there are few), then
 * the events in seq order, then call finish(). Memory stays constant in the
 * number of events. The first problem found is kept; later ones are not reported.
 *
 * - `base`: where the stored chain starts when earlier events were removed by the
 *   retention job (its signed checkpoint); without one the chain must start at seq 1.
 * - `head`: the signed head the chain must end on (the audit subgraph re-signs it on
 *   every append). When given, events beyond it, or a chain ending short of it, fail.
 * - `contiguous`: false for a filtered export, where gaps are expected: each event's
 *   own hash and every consecutive pair are still checked.
 * - `requireHead`: events without a valid signed head fail (the service signs the head on
 *   every append, so an unsigned or missing head means someone wrote the chain around it).
 */
export class ChainVerifier {
  private readonly checkpoints = new Map<number, Checkpoint>();
  private base: Checkpoint | null = null;
  private head: Checkpoint | null = null;
  private prev: { seq: number; hash: string; id: string } | null = null;
  private count = 0;
  private failure: Pick<VerificationResult, 'firstBrokenEventId' | 'firstBrokenSeq' | 'reason'> | null = null;

  constructor(
    private readonly orgId: string, private readonly publicKey: KeyObject, private readonly contiguous = true, private readonly requireHead = false,
  ) {}

  get failed(): boolean {
    return this.failure !== null;
  }

  private fail(reason: string, event: { id: string; seq: number } | null, seq: number | null = event?.seq ?? null): void {
    this.failure ??= { firstBrokenEventId: event?.id ?? null, firstBrokenSeq: seq, reason };
  }

  private accept(c: Checkpoint, what: string): boolean {
    if (c.orgId !== this.orgId) { this.fail(`${what} at seq ${c.seq} belongs to another organisation`, null, c.seq); return false; }
    if (!checkpointSignatureValid(this.publicKey, c)) { this.fail(`${what} at seq ${c.seq} has an invalid signature`, null, c.seq); return false; }
    return true;
  }

  addCheckpoint(c: Checkpoint): void {
    if (this.accept(c, 'checkpoint')) this.checkpoints.set(c.seq, c);
  }

  /** The retention checkpoint the remaining chain continues from. */
  setBase(c: Checkpoint): void {
    if (this.accept(c, 'base checkpoint')) { this.base = c; this.checkpoints.set(c.seq, c); }
  }

  setHead(c: Checkpoint): void {
    if (this.accept(c, 'signed head')) { this.head = c; this.checkpoints.set(c.seq, c); }
  }

  /** The stored head carries no signature: verification fails, whatever the events say. */
  unsignedHead(seq: number): void {
    this.fail(`the chain head at seq ${seq} is not signed`, null, seq);
  }

  add(e: ChainedEvent): void {
    if (this.failure) return;
    this.count += 1;
    if (e.orgId !== this.orgId) return this.fail('event of another organisation', e);
    if (hashEvent(e) !== e.hash) return this.fail('event content does not match its hash', e);
    if (this.prev === null) {
      if (this.contiguous) {
        const expectedSeq = this.base ? this.base.seq + 1 : 1;
        const expectedPrev = this.base ? this.base.headHash : GENESIS_HASH;
        if (e.seq !== expectedSeq) return this.fail(`chain starts at seq ${e.seq}, expected ${expectedSeq}: events missing`, e);
        if (e.prevHash !== expectedPrev) return this.fail('first event does not link to the chain start', e);
      } else {
        const before = this.checkpoints.get(e.seq - 1);
        if (e.seq === 1 && e.prevHash !== GENESIS_HASH) return this.fail('first event does not link to the genesis hash', e);
        if (before && before.headHash !== e.prevHash) return this.fail(`event does not link to the checkpoint at seq ${before.seq}`, e);
      }
    } else if (e.seq <= this.prev.seq) {
      return this.fail(`seq ${e.seq} out of order after ${this.prev.seq}`, e);
    } else if (e.seq === this.prev.seq + 1) {
      if (e.prevHash !== this.prev.hash) return this.fail('event does not link to the previous event', e);
    } else if (this.contiguous) {
      return this.fail(`events ${this.prev.seq + 1}..${e.seq - 1} are missing`, e);
    }
    const cp = this.checkpoints.get(e.seq);
    if (cp && cp.headHash !== e.hash) return this.fail(`event differs from the signed checkpoint at seq ${e.seq}`, e);
    if (this.head && e.seq > this.head.seq) return this.fail(`event after the signed head (seq ${this.head.seq})`, e);
    this.prev = { seq: e.seq, hash: e.hash, id: e.id };
  }

  finish(): VerificationResult {
    if (!this.failure && this.requireHead && !this.head && this.count > 0) this.fail('no signed chain head covers these events', null, null);
    if (!this.failure && this.head && this.contiguous) {
      const lastSeq = this.prev?.seq ?? this.base?.seq ?? 0;
      if (lastSeq < this.head.seq) this.fail(`events ${lastSeq + 1}..${this.head.seq} before the signed head are missing`, null, lastSeq + 1);
    }
    return {
      ok: this.failure === null,
      checkedCount: this.count,
      firstBrokenEventId: this.failure?.firstBrokenEventId ?? null,
      firstBrokenSeq: this.failure?.firstBrokenSeq ?? null,
      reason: this.failure?.reason ?? null,
      headHash: this.prev?.hash ?? this.base?.headHash ?? null,
      headSeq: this.prev?.seq ?? this.base?.seq ?? null,
    };
  }
}
