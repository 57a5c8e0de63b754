// Shared by the audit end-to-end specs: boot the graph with audit settings, read
// the log through the gateway, download exports, tamper as a superuser would.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { Client } from 'pg';
import { signServiceCall, SERVICE_HEADER } from '@packets/context';
import { importPrivateKey, importPublicKey } from '@packets/crypto';
import { eventually, gql } from '@packets/testing';
import { startStack, type Stack } from '@packets/tool-dev';
import { verifyExportStream, type OfflineResult } from '@packets/tool-audit-verify';
import { addMember, inject, withMailbox } from './harness';

export async function startAuditStack(
  opts: { env?: Record<string, string>; now?: () => Date; resolveTxt?: (hostname: string) => Promise<string[][]> } = {},
): Promise<Stack> {
  return startStack({
    adminUrl: inject('adminUrl'), secrets: inject('secrets'), nodeEnv: 'production', relayIntervalMs: 100,
    env: await withMailbox({ AUDIT_WEBHOOK_ALLOW_PRIVATE: 'true', ...opts.env }), now: opts.now, resolveTxt: opts.resolveTxt,
  });
}

export const auditPublicKey = () => importPublicKey(inject('secrets').auditSigningPublicKey);

export interface EventNode {
  id: string; seq: number; action: string; outcome: string; actorId: string | null; subjectType: string | null; subjectId: string | null;
  requestId: string | null; source: string; data: Record<string, unknown>; occurredAt: string;
}

const EVENTS = `query($f: AuditFilter, $first: Int, $after: String) { auditEvents(filter: $f, first: $first, after: $after) {
  edges { node { id seq action outcome actorId subjectType subjectId requestId source data occurredAt } } pageInfo { hasNextPage endCursor } } }`;

export async function auditEvents(gatewayUrl: string, token: string, filter: Record<string, unknown> = {}, first = 100): Promise<EventNode[]> {
  const res = await gql<{ auditEvents: { edges: { node: EventNode }[] } }>(gatewayUrl, EVENTS, { f: filter, first }, token);
  if (!res.data) throw new Error(res.raw);
  return res.data.auditEvents.edges.map((e) => e.node);
}

/** Waits until events matching the filter (and the check) are in the log. */
export async function waitForEvents(
  gatewayUrl: string, token: string, filter: Record<string, unknown>, check: (events: EventNode[]) => boolean = (e) => e.length > 0,
): Promise<EventNode[]> {
  return eventually(() => auditEvents(gatewayUrl, token, filter), check, 15_000);
}

export interface Verification { ok: boolean; checkedCount: number; firstBrokenEventId: string | null; firstBrokenSeq: number | null; reason: string | null; headHash: string | null; headSeq: number | null }

export async function verifyOnline(gatewayUrl: string, token: string): Promise<Verification> {
  const res = await gql<{ verifyAuditChain: Verification }>(gatewayUrl,
    '{ verifyAuditChain { ok checkedCount firstBrokenEventId firstBrokenSeq reason headHash headSeq } }', {}, token);
  if (!res.data) throw new Error(res.raw);
  return res.data.verifyAuditChain;
}

export interface ExportInfo { id: string; url: string; headSeq: number; contiguous: boolean; expiresAt: string }

export async function requestExport(gatewayUrl: string, token: string, format: 'JSONL' | 'CSV', filter?: Record<string, unknown>): Promise<ExportInfo> {
  const res = await gql<{ exportAuditEvents: ExportInfo }>(gatewayUrl,
    'mutation($f: AuditFilter, $format: AuditExportFormat!) { exportAuditEvents(filter: $f, format: $format) { id url headSeq contiguous expiresAt } }',
    { f: filter ?? null, format }, token);
  if (!res.data) throw new Error(res.raw);
  return res.data.exportAuditEvents;
}

export async function download(gatewayUrl: string, path: string): Promise<{ status: number; text: string; contentType: string | null }> {
  const res = await fetch(`${gatewayUrl}${path}`);
  return { status: res.status, text: await res.text(), contentType: res.headers.get('content-type') };
}

export async function exportAndVerifyOffline(gatewayUrl: string, token: string): Promise<{ result: OfflineResult; text: string }> {
  const exp = await requestExport(gatewayUrl, token, 'JSONL');
  const file = await download(gatewayUrl, exp.url);
  if (file.status !== 200) throw new Error(`download answered ${file.status}: ${file.text}`);
  return { result: await verifyExportStream(Readable.from([file.text]), auditPublicKey()), text: file.text };
}

/** SQL as the superuser, in one session (so `set session_replication_role` applies to what follows). */
export async function asSuperuser<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: inject('adminUrl') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * What an attacker with database superuser access does: switch triggers off for the
 * session (session_replication_role = replica) and change the log directly.
 */
export async function tamper(sql: string[], params: unknown[][] = []): Promise<void> {
  await asSuperuser(async (c) => {
    await c.query('set session_replication_role = replica');
    for (const [i, s] of sql.entries()) await c.query(s, params[i] ?? []);
  });
}

/** Posts events straight to the audit ingest endpoint, signed as a service. */
export async function ingest(auditUrl: string, events: Record<string, unknown>[], service: 'identity' | 'compliance' | 'ai' = 'compliance'): Promise<{ status: number; body: unknown }> {
  const body = JSON.stringify({ events });
  const key = importPrivateKey(inject('secrets').serviceKeys[service].privateKey);
  const res = await fetch(`${auditUrl}/internal/events`, {
    method: 'POST', body, headers: { 'content-type': 'application/json', [SERVICE_HEADER]: await signServiceCall(service, 'audit:ingest', body, key) },
  });
  return { status: res.status, body: await res.json() };
}

export function wireEvent(orgId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: randomUUID(), orgId, occurredAt: new Date().toISOString(), actorType: 'user', actorId: randomUUID(), sessionId: null,
    apiKeyId: null, action: 'test.event', subjectType: null, subjectId: null, outcome: 'success', requestId: randomUUID(), ip: '127.0.0.1',
    userAgent: 'test', data: {}, source: 'compliance', ...overrides,
  };
}

/** A member of the org holding one custom role with these rules, signed in (through createRole, inviteMember, acceptInvitation). */
export async function memberWithRules(gatewayUrl: string, org: { token: string }, rules: unknown[], roleName?: string): Promise<{ userId: string; token: string }> {
  const m = await addMember(gatewayUrl, org, { rules, name: roleName });
  return { userId: m.userId, token: m.token };
}
