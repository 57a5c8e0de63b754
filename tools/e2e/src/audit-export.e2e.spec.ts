// Search and export (AU-3): filters and cursor pagination of auditEvents; exports in
// JSON Lines and CSV through a short-lived, single-use download URL on the gateway,
// scoped by the requester's rules, each export itself recorded in the log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { CSV_COLUMNS } from '@packets/audit-log';
import { codes, gql, signUp, type SignedUp } from '@packets/testing';
import type { Stack } from '@packets/tool-dev';
import { verifyExportStream } from '@packets/tool-audit-verify';
import { adminQuery } from './harness';
import {
  auditEvents, auditPublicKey, download, memberWithRules, requestExport, startAuditStack, waitForEvents,
} from './audit-support';

/** RFC 4180 records (quoted fields may hold commas, quotes and newlines). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false; else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; } else if (ch === '\n') { row.push(field); rows.push(row); row = []; field = ''; } else field += ch;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

describe('audit search and export', () => {
  let stack: Stack;
  let owner: SignedUp;
  let controlIds: string[];

  beforeAll(async () => {
    stack = await startAuditStack();
    owner = await signUp(stack.gatewayUrl, 'Export Org');
    controlIds = [];
    for (const title of ['Plain', 'Quote " comma, and\nnewline', 'Third', 'Fourth', 'Fifth']) {
      const res = await gql<{ createControl: { id: string } }>(stack.gatewayUrl, 'mutation($t: String!) { createControl(input: { title: $t }) { id } }', { t: title }, owner.token);
      controlIds.push(res.data!.createControl.id);
    }
    await waitForEvents(stack.gatewayUrl, owner.token, { action: 'control.create' }, (e) => e.length === 5);
  });
  afterAll(() => stack?.stop());

  it('filters by actor, action, subject, outcome and time, and pages with cursors', async () => {
    const byActor = await auditEvents(stack.gatewayUrl, owner.token, { actorId: owner.userId, action: 'control.create' });
    expect(byActor).toHaveLength(5);
    const bySubject = await auditEvents(stack.gatewayUrl, owner.token, { subjectType: 'Control', subjectId: controlIds[2] });
    expect(bySubject.map((e) => e.action)).toEqual(['control.create']);
    expect(await auditEvents(stack.gatewayUrl, owner.token, { action: 'control.create', outcome: 'denied' })).toEqual([]);
    expect(await auditEvents(stack.gatewayUrl, owner.token, { action: 'control.create', to: '2000-01-01T00:00:00Z' })).toEqual([]);
    const recent = await auditEvents(stack.gatewayUrl, owner.token, { action: 'control.create', from: new Date(Date.now() - 3600_000).toISOString() });
    expect(recent).toHaveLength(5);

    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res: Awaited<ReturnType<typeof gql<{ auditEvents: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }>>> =
        await gql(stack.gatewayUrl, 'query($a: String) { auditEvents(filter: { action: "control.create" }, first: 2, after: $a) { edges { node { id } } pageInfo { hasNextPage endCursor } } }', { a: after }, owner.token);
      seen.push(...res.data!.auditEvents.edges.map((e) => e.node.id));
      if (!res.data!.auditEvents.pageInfo.hasNextPage) break;
      after = res.data!.auditEvents.pageInfo.endCursor;
    }
    expect(seen).toEqual(byActor.map((e) => e.id));
  });

  it('exports JSON Lines that verify offline; the link is single use; the export is logged', async () => {
    const exp = await requestExport(stack.gatewayUrl, owner.token, 'JSONL');
    expect(exp.url).toMatch(/^\/audit\/exports\/download\?token=/);
    expect(exp.contiguous).toBe(true);
    const file = await download(stack.gatewayUrl, exp.url);
    expect(file.status).toBe(200);
    expect(file.contentType).toContain('application/x-ndjson');
    const lines = file.text.trim().split('\n').map((l) => JSON.parse(l) as { type: string; seq?: number });
    expect(lines[0]).toMatchObject({ type: 'export', orgId: owner.orgId, headSeq: exp.headSeq, contiguous: true });
    const events = lines.filter((l) => l.type === 'event');
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: exp.headSeq }, (_, i) => i + 1));
    expect(lines.some((l) => l.type === 'checkpoint')).toBe(true);
    const result = await verifyExportStream(Readable.from([file.text]), auditPublicKey());
    expect(result).toMatchObject({ ok: true, checkedCount: exp.headSeq });

    const again = await download(stack.gatewayUrl, exp.url);
    expect(again.status).toBe(410);
    const logged = await waitForEvents(stack.gatewayUrl, owner.token, { action: 'audit.export', subjectId: exp.id });
    expect(logged[0]).toMatchObject({ actorId: owner.userId, outcome: 'success', data: { format: 'JSONL', headSeq: exp.headSeq } });
  });

  it('logs every download of an export: who, which export, from which IP; a replayed link is logged as denied', async () => {
    const exp = await requestExport(stack.gatewayUrl, owner.token, 'CSV');
    const fetchAs = (ua: string) => fetch(`${stack.gatewayUrl}${exp.url}`, { headers: { 'user-agent': ua } });
    const first = await fetchAs('ExportClient/1.0');
    expect(first.status).toBe(200);
    await first.text();
    expect((await fetchAs('Replayer/2.0')).status).toBe(410);
    const DOWNLOADS = `query($f: AuditFilter) { auditEvents(filter: $f, first: 10) { edges { node { action outcome actorId subjectType subjectId ip userAgent source data } } } }`;
    type Node = { action: string; outcome: string; actorId: string; subjectType: string; subjectId: string; ip: string | null; userAgent: string | null; source: string; data: Record<string, unknown> };
    const read = async () => {
      const res = await gql<{ auditEvents: { edges: { node: Node }[] } }>(stack.gatewayUrl, DOWNLOADS, { f: { action: 'audit.export_download', subjectId: exp.id } }, owner.token);
      return res.data?.auditEvents.edges.map((e) => e.node) ?? [];
    };
    await expect.poll(async () => (await read()).length, { timeout: 15_000, interval: 200 }).toBe(2);
    const events = await read();
    const ok = events.find((e) => e.outcome === 'success')!;
    expect(ok).toMatchObject({ actorId: owner.userId, subjectType: 'AuditExport', subjectId: exp.id, userAgent: 'ExportClient/1.0', source: 'audit', data: { format: 'CSV' } });
    expect(ok.ip).toMatch(/127\.0\.0\.1|::1/);
    const replay = events.find((e) => e.outcome === 'denied')!;
    expect(replay).toMatchObject({ subjectId: exp.id, userAgent: 'Replayer/2.0', data: { reason: 'export already downloaded' } });
    expect(replay.ip).toMatch(/127\.0\.0\.1|::1/);
  });

  it('exports CSV with a filter, escaped by csv-stringify', async () => {
    const exp = await requestExport(stack.gatewayUrl, owner.token, 'CSV', { action: 'control.create' });
    expect(exp.contiguous).toBe(false);
    const file = await download(stack.gatewayUrl, exp.url);
    expect(file.status).toBe(200);
    expect(file.contentType).toContain('text/csv');
    const rows = parseCsv(file.text);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(6);
    const tricky = rows.find((r) => r[CSV_COLUMNS.indexOf('subjectId')] === controlIds[1])!;
    expect(JSON.parse(tricky[CSV_COLUMNS.indexOf('data')]!)).toMatchObject({ title: 'Quote " comma, and\nnewline' });
  });

  it('refuses a bad, expired or unknown token, and callers who may not read the log', async () => {
    expect((await download(stack.gatewayUrl, '/audit/exports/download?token=nope')).status).toBe(401);
    expect((await download(stack.gatewayUrl, '/audit/exports/download')).status).toBe(400);
    const exp = await requestExport(stack.gatewayUrl, owner.token, 'JSONL');
    await adminQuery(`update audit.exports set expires_at = now() - interval '1 second' where id = $1`, [exp.id]);
    expect((await download(stack.gatewayUrl, exp.url)).status).toBe(410);

    const member = await memberWithRules(stack.gatewayUrl, owner, [{ action: 'read', subject: 'Control' }]);
    const res = await gql(stack.gatewayUrl, 'mutation { exportAuditEvents(format: JSONL) { id } }', {}, member.token);
    expect(codes(res)).toEqual(['FORBIDDEN']);
  });

  it('an Auditor may export; a role limited by conditions exports only what it may read', async () => {
    const auditor = await memberWithRules(stack.gatewayUrl, owner, [{ action: 'read', subject: 'all' }]);
    const all = await requestExport(stack.gatewayUrl, auditor.token, 'JSONL');
    expect((await download(stack.gatewayUrl, all.url)).status).toBe(200);

    const limited = await memberWithRules(stack.gatewayUrl, owner, [{ action: 'read', subject: 'AuditEvent', conditions: { action: 'control.create' } }]);
    const exp = await requestExport(stack.gatewayUrl, limited.token, 'JSONL');
    expect(exp.contiguous).toBe(false);
    const file = await download(stack.gatewayUrl, exp.url);
    const events = file.text.trim().split('\n').map((l) => JSON.parse(l) as { type: string; action?: string }).filter((l) => l.type === 'event');
    expect(events.map((e) => e.action)).toEqual(Array(5).fill('control.create'));
    // each event and each consecutive pair still verifies on its own
    expect(await verifyExportStream(Readable.from([file.text]), auditPublicKey())).toMatchObject({ ok: true, contiguous: false, checkedCount: 5 });
  });
});
