// The audit event as it travels from a subgraph's outbox to the audit subgraph.
export type AuditOutcome = 'success' | 'failure' | 'denied';

export interface AuditEvent {
  id: string;
  orgId: string;
  occurredAt: string;
  actorType: 'user' | 'apiKey' | 'anonymous' | 'system';
  actorId: string | null;
  sessionId: string | null;
  apiKeyId: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  outcome: AuditOutcome;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
  /** changed fields and other details; never secrets (see redact) */
  data: Record<string, unknown>;
  /** subgraph that wrote it */
  source: string;
}

const SECRET_KEYS = /pass(word)?|secret|token|key|code|hash/i;

/** Replaces string values of secret-looking keys, at any depth (counts such as apiKeysRevoked stay). */
export function redact(data: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(data), (key: string, value: unknown) =>
    key && SECRET_KEYS.test(key) && typeof value === 'string' ? '[redacted]' : value,
  ) as Record<string, unknown>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const OUTCOMES = new Set(['success', 'failure', 'denied']);
const ACTORS = new Set(['user', 'apiKey', 'anonymous', 'system']);

/** Checks an event received over the wire; returns a reason when it is malformed. */
export function invalidEventReason(e: Partial<AuditEvent>): string | null {
  if (typeof e.id !== 'string' || !UUID.test(e.id)) return 'id';
  if (typeof e.orgId !== 'string' || !UUID.test(e.orgId)) return 'orgId';
  if (typeof e.occurredAt !== 'string' || Number.isNaN(Date.parse(e.occurredAt))) return 'occurredAt';
  if (typeof e.action !== 'string' || e.action.length === 0 || e.action.length > 100) return 'action';
  if (!OUTCOMES.has(e.outcome as string)) return 'outcome';
  if (!ACTORS.has(e.actorType as string)) return 'actorType';
  for (const k of ['actorId', 'sessionId', 'apiKeyId'] as const) {
    const v = e[k];
    if (v !== null && v !== undefined && (typeof v !== 'string' || !UUID.test(v))) return k;
  }
  for (const k of ['subjectType', 'subjectId', 'requestId', 'ip', 'userAgent'] as const) {
    const v = e[k];
    if (v !== null && v !== undefined && typeof v !== 'string') return k;
  }
  if (typeof e.data !== 'object' || e.data === null) return 'data';
  if (typeof e.source !== 'string' || e.source.length === 0 || e.source.length > 50) return 'source';
  // PostgreSQL's jsonb cannot hold U+0000; refuse it here rather than failing the whole batch later
  if (JSON.stringify(e.data).includes('\\u0000')) return 'data';
  return null;
}
