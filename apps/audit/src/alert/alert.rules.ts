// Alert rules, evaluated inside the append transaction on the events just stored,
// so an alert commits with the events that raised it (and a redelivered event, being
// skipped, raises nothing twice). Thresholds come from configuration (AuditTuning;
// defaults in the README). Each rule looks only at the appending organisation's
// own log, except cross-org detection: a SECURITY DEFINER function raises that alert
// in the organisation owning the ids (never in the requester's, which would learn
// which foreign ids exist), and the platform log records both sides.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ChainedEvent } from '@packets/audit-log';
import { runtimeNow } from '@packets/graphql';
import type { AuditRuntime } from '../audit.context';

export const ALERT_RULES = ['denied_burst', 'read_spike', 'unusual_export', 'new_sign_in_location', 'cross_org_reference', 'chain_integrity'] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

/** Access events the gateway records for read operations (apps/gateway/src/access-log.ts). */
export const READ_ACTION = 'graphql.query';
export const EXPORT_ACTION = 'audit.export';
const SIGN_IN_ACTION = 'auth.sign_in';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** error codes that mean "the caller reached for something it may not have" */
const REACHING_CODES = new Set(['NOT_FOUND', 'FORBIDDEN', 'BAD_USER_INPUT']);

interface NewAlert {
  rule: AlertRule;
  severity: 'low' | 'medium' | 'high';
  actorId: string | null;
  dedupeKey?: string;
  /** an alert with the same rule, actor and key inside this many seconds is not raised again */
  dedupeSeconds: number;
  summary: string;
  details: Record<string, unknown>;
  eventIds: string[];
}

function byActor(events: ChainedEvent[], pick: (e: ChainedEvent) => boolean): Map<string, ChainedEvent[]> {
  const out = new Map<string, ChainedEvent[]>();
  for (const e of events) {
    if (!e.actorId || !pick(e)) continue;
    const list = out.get(e.actorId);
    if (list) list.push(e);
    else out.set(e.actorId, [e]);
  }
  return out;
}

const latest = (list: ChainedEvent[]): Date => new Date(Math.max(...list.map((e) => Date.parse(e.occurredAt))));
const ago = (from: Date, seconds: number): Date => new Date(from.getTime() - seconds * 1000);

function errorCodes(e: ChainedEvent): string[] {
  const codes = e.data.errorCodes;
  const list = Array.isArray(codes) ? codes.filter((c): c is string => typeof c === 'string') : [];
  const code = e.data.code;
  if (typeof code === 'string') list.push(code);
  return list;
}

/** Ids the event's request reached for: its subject, and ids the gateway saw in the operation. */
function referencedIds(e: ChainedEvent): string[] {
  const ids = new Set<string>();
  if (e.subjectId && UUID.test(e.subjectId)) ids.add(e.subjectId.toLowerCase());
  const seen = e.data.ids;
  if (Array.isArray(seen)) for (const id of seen) if (typeof id === 'string' && UUID.test(id)) ids.add(id.toLowerCase());
  return [...ids];
}

async function count(em: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const [row] = await em.execute<{ n: string }[]>(sql, params);
  return Number(row?.n ?? 0);
}

async function deniedBurst(em: EntityManager, runtime: AuditRuntime, orgId: string, events: ChainedEvent[]): Promise<NewAlert[]> {
  const { deniedBurst: threshold, deniedWindowSeconds: window } = runtime.tuning;
  const out: NewAlert[] = [];
  for (const [actorId, list] of byActor(events, (e) => e.outcome === 'denied')) {
    // a denied request may be logged twice (the subgraph's access.denied and the gateway's
    // access event): count requests, not events
    const n = await count(em,
      `select count(distinct coalesce(request_id, id::text)) as n from audit.events
        where org_id = ? and actor_id = ? and outcome = 'denied' and occurred_at > ?`,
      [orgId, actorId, ago(latest(list), window)]);
    if (n >= threshold) {
      out.push({
        rule: 'denied_burst', severity: 'high', actorId, dedupeSeconds: window,
        summary: `${n} denied requests by one actor within ${window} s`,
        details: { deniedRequests: n, windowSeconds: window, threshold }, eventIds: list.map((e) => e.id),
      });
    }
  }
  return out;
}

/**
 * "Unusually many compared with the actor's own recent rate": the count in the
 * window against the count over the baseline period before it, scaled to the window.
 */
async function rateSpike(
  em: EntityManager, orgId: string, actorId: string, action: string, at: Date,
  windowSeconds: number, baselineSeconds: number, min: number,
): Promise<{ current: number; expected: number }> {
  const windowStart = ago(at, windowSeconds);
  const current = await count(em,
    `select count(*) as n from audit.events where org_id = ? and actor_id = ? and action = ? and occurred_at > ?`,
    [orgId, actorId, action, windowStart]);
  // the longer baseline scan only when the window alone could already alert
  if (current < min) return { current, expected: 0 };
  const baseline = await count(em,
    `select count(*) as n from audit.events where org_id = ? and actor_id = ? and action = ? and occurred_at > ? and occurred_at <= ?`,
    [orgId, actorId, action, ago(windowStart, baselineSeconds), windowStart]);
  return { current, expected: (baseline * windowSeconds) / baselineSeconds };
}

async function readSpike(em: EntityManager, runtime: AuditRuntime, orgId: string, events: ChainedEvent[]): Promise<NewAlert[]> {
  const t = runtime.tuning;
  const out: NewAlert[] = [];
  for (const [actorId, list] of byActor(events, (e) => e.action === READ_ACTION)) {
    const { current, expected } = await rateSpike(em, orgId, actorId, READ_ACTION, latest(list), t.readWindowSeconds, t.readBaselineHours * 3600, t.readMin);
    if (current >= t.readMin && current > t.readFactor * expected) {
      out.push({
        rule: 'read_spike', severity: 'medium', actorId, dedupeSeconds: t.readWindowSeconds,
        summary: `${current} reads by one actor within ${t.readWindowSeconds} s (usual: ${expected.toFixed(1)})`,
        details: { reads: current, expected, windowSeconds: t.readWindowSeconds, factor: t.readFactor, min: t.readMin },
        eventIds: list.slice(-20).map((e) => e.id),
      });
    }
  }
  return out;
}

async function unusualExport(em: EntityManager, runtime: AuditRuntime, orgId: string, events: ChainedEvent[]): Promise<NewAlert[]> {
  const t = runtime.tuning;
  const out: NewAlert[] = [];
  for (const [actorId, list] of byActor(events, (e) => e.action === EXPORT_ACTION && e.outcome === 'success')) {
    const window = t.exportWindowHours * 3600;
    const { current, expected } = await rateSpike(em, orgId, actorId, EXPORT_ACTION, latest(list), window, t.exportBaselineDays * 86400, 1);
    // a first export in the baseline period alerts (expected 0)
    if (current > t.exportFactor * expected) {
      out.push({
        rule: 'unusual_export', severity: 'medium', actorId, dedupeSeconds: 3600,
        summary: `${current} audit export(s) by one actor within ${t.exportWindowHours} h (usual: ${expected.toFixed(2)})`,
        details: { exports: current, expected, windowHours: t.exportWindowHours, factor: t.exportFactor },
        eventIds: list.map((e) => e.id),
      });
    }
  }
  return out;
}

async function newSignInLocation(em: EntityManager, orgId: string, events: ChainedEvent[]): Promise<NewAlert[]> {
  const out: NewAlert[] = [];
  for (const e of events) {
    if (e.action !== SIGN_IN_ACTION || e.outcome !== 'success' || !e.actorId) continue;
    const [seen] = await em.execute<{ any: boolean; ip: boolean; ua: boolean }[]>(
      `select exists (select 1 from audit.events h where h.org_id = ? and h.actor_id = ? and h.seq < ? and h.outcome = 'success') as any,
              exists (select 1 from audit.events h where h.org_id = ? and h.actor_id = ? and h.seq < ? and h.outcome = 'success'
                        and h.ip is not distinct from ?) as ip,
              exists (select 1 from audit.events h where h.org_id = ? and h.actor_id = ? and h.seq < ? and h.outcome = 'success'
                        and h.user_agent is not distinct from ?) as ua`,
      [orgId, e.actorId, e.seq, orgId, e.actorId, e.seq, e.ip, orgId, e.actorId, e.seq, e.userAgent],
    );
    // nothing to compare with on a user's very first activity in the org
    if (!seen?.any || (seen.ip && seen.ua)) continue;
    const what = [!seen.ip ? 'IP address' : null, !seen.ua ? 'device' : null].filter(Boolean).join(' and ');
    out.push({
      rule: 'new_sign_in_location', severity: 'medium', actorId: e.actorId, dedupeKey: `${e.ip ?? ''}|${e.userAgent ?? ''}`,
      dedupeSeconds: 86400, summary: `Sign-in from a new ${what}`,
      details: { ip: e.ip, userAgent: e.userAgent, newIp: !seen.ip, newDevice: !seen.ua }, eventIds: [e.id],
    });
  }
  return out;
}

/**
 * A request that reached for ids of another organisation's objects. The alert goes to
 * the org that owns them (raised there by a SECURITY DEFINER function, naming only its
 * own ids) and to the platform log; the requesting org learns nothing about which
 * foreign ids exist. Returns how many alerts were raised.
 */
async function crossOrgReference(em: EntityManager, runtime: AuditRuntime, orgId: string, events: ChainedEvent[]): Promise<number> {
  let raised = 0;
  for (const e of events) {
    if (e.outcome === 'success' && !errorCodes(e).some((c) => REACHING_CODES.has(c))) continue;
    const ids = referencedIds(e);
    if (ids.length === 0) continue;
    const details = { action: e.action, outcome: e.outcome, errorCodes: errorCodes(e), requestId: e.requestId };
    const owners = await em.execute<{ owner_org: string; object_ids: string[]; raised: boolean }[]>(
      `select owner_org, object_ids, raised from audit.raise_cross_org_alerts(?, ?::text[], ?::jsonb, ?)`,
      [orgId, `{${ids.join(',')}}`, JSON.stringify(details), runtimeNow(runtime)],
    );
    for (const o of owners) {
      if (o.raised) raised += 1;
      console.warn(JSON.stringify({
        msg: 'audit: cross-organisation reference', rule: 'cross_org_reference', requesterOrgId: orgId, actorId: e.actorId,
        eventId: e.id, requestId: e.requestId, ownerOrgId: o.owner_org, objectIds: o.object_ids, alertRaised: o.raised,
      }));
    }
  }
  return raised;
}

/** Runs every rule on freshly appended events; returns how many alerts were raised. */
export async function evaluateAlerts(em: EntityManager, runtime: AuditRuntime, orgId: string, events: ChainedEvent[]): Promise<number> {
  const found = [
    ...await deniedBurst(em, runtime, orgId, events),
    ...await readSpike(em, runtime, orgId, events),
    ...await unusualExport(em, runtime, orgId, events),
    ...await newSignInLocation(em, orgId, events),
  ];
  const foreign = await crossOrgReference(em, runtime, orgId, events);
  if (found.length === 0) return foreign;
  const now = runtimeNow(runtime);
  const [settings] = await em.execute<{ webhook_enabled: boolean }[]>(
    `select webhook_enabled from audit.org_settings where org_id = ?`, [orgId],
  );
  let raised = foreign;
  for (const a of found) {
    const dedupeKey = a.dedupeKey ?? '';
    const duplicate = await count(em,
      `select count(*) as n from audit.alerts where org_id = ? and rule = ? and actor_id is not distinct from ? and dedupe_key = ? and created_at > ?`,
      [orgId, a.rule, a.actorId, dedupeKey, ago(now, a.dedupeSeconds)]);
    if (duplicate > 0) continue;
    await em.execute(
      `insert into audit.alerts (id, org_id, rule, severity, actor_id, dedupe_key, summary, details, event_ids, created_at, webhook_status, webhook_next_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?::uuid[], ?, ?, ${settings?.webhook_enabled ? 'now()' : 'null'})`,
      [randomUUID(), orgId, a.rule, a.severity, a.actorId, dedupeKey, a.summary, JSON.stringify(a.details),
        `{${a.eventIds.join(',')}}`, now, settings?.webhook_enabled ? 'pending' : 'none'],
    );
    raised += 1;
  }
  return raised;
}
