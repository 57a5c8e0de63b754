// CO-4: evidence as links, texts and encrypted files, through the gateway. Files are
// streamed, size-limited, type-checked against their bytes, stored encrypted in a
// folder per organisation, and downloaded only through a short-lived link whose
// stream fails if the stored bytes were altered. Refused or interrupted uploads
// leave no row and no file. A custom role can grant "evidence for controls I own".
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, eventually, gql, signUp, type SignedUp } from '@packets/testing';
import type { Stack } from '@packets/tool-dev';
import { adminQuery } from './harness';
import {
  addMemberWithRole, ok, pdfBytes, PNG_HEADER, rawRequest, startComplianceStack, storedFiles, TEST_EVIDENCE_MAX_BYTES, upload,
} from './compliance-harness';

const CREATE = 'mutation($i: ControlInput!) { createControl(input: $i) { id } }';
const ADD = 'mutation($i: EvidenceInput!) { addEvidence(input: $i) { id kind title url text expired expiresAt createdBy { id } control { id } } }';
const LINK = 'query($id: ID!) { evidenceDownloadUrl(id: $id) { url expiresAt } }';
const EVIDENCE = 'query($id: ID!) { control(id: $id) { evidence { id kind title fileName contentType sizeBytes sha256 expired } } }';
const PDF = 'application/pdf';

describe('evidence through the gateway', () => {
  let stack: Stack;
  let storageDir: string;
  let a: SignedUp;
  let b: SignedUp;
  let aControl: string;

  const rows = async (orgId: string) => Number((await adminQuery<{ n: string }>('select count(*) as n from compliance.evidence where org_id = $1', [orgId]))[0]!.n);
  const download = async (token: string, evidenceId: string) => {
    const link = ok(await gql<{ evidenceDownloadUrl: { url: string; expiresAt: string } }>(stack.gatewayUrl, LINK, { id: evidenceId }, token)).evidenceDownloadUrl;
    return rawRequest(`${stack.gatewayUrl}${link.url}`);
  };

  beforeAll(async () => {
    ({ stack, storageDir } = await startComplianceStack());
    [a, b] = await Promise.all([signUp(stack.gatewayUrl, 'Evidence A'), signUp(stack.gatewayUrl, 'Evidence B')]);
    aControl = ok(await gql<{ createControl: { id: string } }>(stack.gatewayUrl, CREATE, { i: { title: 'Backups', ownerId: a.userId } }, a.token)).createControl.id;
  });
  afterAll(() => stack?.stop());

  it('adds link and text evidence with collected and expiry dates; expired evidence shows as expired', async () => {
    const link = ok(await gql<{ addEvidence: { kind: string; url: string; expired: boolean; createdBy: { id: string }; control: { id: string } } }>(stack.gatewayUrl, ADD,
      { i: { controlId: aControl, kind: 'LINK', title: 'Backup dashboard', url: 'https://backups.example.test/runs' } }, a.token)).addEvidence;
    expect(link).toMatchObject({ kind: 'LINK', url: 'https://backups.example.test/runs', expired: false, createdBy: { id: a.userId }, control: { id: aControl } });
    const old = ok(await gql<{ addEvidence: { expired: boolean } }>(stack.gatewayUrl, ADD, {
      i: { controlId: aControl, kind: 'TEXT', title: 'Restore test 2020', text: 'Restored in 20 minutes', collectedAt: '2020-01-01T00:00:00Z', expiresAt: '2021-01-01T00:00:00Z' },
    }, a.token)).addEvidence;
    expect(old.expired).toBe(true);
    const bad = await gql(stack.gatewayUrl, ADD, { i: { controlId: aControl, kind: 'LINK', title: 'x', url: 'javascript:alert(1)' } }, a.token);
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    const backwards = await gql(stack.gatewayUrl, ADD, { i: { controlId: aControl, kind: 'TEXT', title: 'x', text: 't', collectedAt: '2024-01-02T00:00:00Z', expiresAt: '2024-01-01T00:00:00Z' } }, a.token);
    expect(codes(backwards)).toEqual(['BAD_USER_INPUT']);
  });

  it('uploads a file encrypted under the org key and downloads it through a short-lived link, SHA-256 checked', async () => {
    const bytes = pdfBytes('policy scan');
    const res = await upload(stack.gatewayUrl, a.token, { controlId: aControl, fileName: 'restore-test.pdf', title: 'Restore test', expiresAt: '2999-01-01T00:00:00Z' }, PDF, bytes);
    expect(res.status, res.body.toString()).toBe(201);
    const evidence = (res.json as { evidence: { id: string; sha256: string; sizeBytes: number; kind: string } }).evidence;
    expect(evidence).toMatchObject({ kind: 'FILE', sizeBytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });

    // stored under the org's own folder, encrypted (no plaintext on disk)
    expect(storedFiles(storageDir, a.orgId)).toEqual([evidence.id]);
    const onDisk = readFileSync(join(storageDir, a.orgId, evidence.id));
    expect(onDisk.length).toBe(bytes.length + 12);
    expect(onDisk.includes(Buffer.from('%PDF'))).toBe(false);
    expect(onDisk.includes(Buffer.from('policy scan'))).toBe(false);
    const [keyRow] = await adminQuery<{ n: string }>('select count(*) as n from compliance.org_keys where org_id = $1', [a.orgId]);
    expect(Number(keyRow!.n)).toBe(1);

    const listed = ok(await gql<{ control: { evidence: { id: string; fileName: string; contentType: string }[] } }>(stack.gatewayUrl, EVIDENCE, { id: aControl }, a.token));
    expect(listed.control.evidence.find((e) => e.id === evidence.id)).toMatchObject({ fileName: 'restore-test.pdf', contentType: PDF });

    const got = await download(a.token, evidence.id);
    expect(got.error).toBeNull();
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe(PDF);
    expect(got.headers['x-evidence-sha256']).toBe(evidence.sha256);
    expect(got.body.equals(bytes)).toBe(true);

    // the download is audited in the organisation's log
    await eventually(() => adminQuery<{ action: string }>(`select action from audit.events where org_id = $1 and subject_id = $2`, [a.orgId, evidence.id]),
      (r) => r.length >= 2);
    const actions = (await adminQuery<{ action: string }>(`select action from audit.events where org_id = $1 and subject_id = $2`, [a.orgId, evidence.id])).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['evidence.upload', 'evidence.download']));
  });

  it('fails the download stream when the stored file was altered, or its recorded SHA-256 does not match', async () => {
    const bytes = pdfBytes('tamper me');
    const up = await upload(stack.gatewayUrl, a.token, { controlId: aControl, fileName: 'tamper.pdf' }, PDF, bytes);
    const id = (up.json as { evidence: { id: string } }).evidence.id;
    const path = join(storageDir, a.orgId, id);
    const stored = readFileSync(path);
    const flipped = Buffer.from(stored);
    flipped[100] = flipped[100]! ^ 0xff;
    writeFileSync(path, flipped);
    const tampered = await download(a.token, id);
    expect(tampered.status).toBe(200);
    expect(tampered.error).not.toBeNull();
    expect(tampered.body.length).toBeLessThan(bytes.length);

    writeFileSync(path, stored);
    expect((await download(a.token, id)).body.equals(bytes)).toBe(true);
    await adminQuery(`update compliance.evidence set sha256 = $2 where id = $1`, [id, '0'.repeat(64)]);
    const mismatch = await download(a.token, id);
    expect(mismatch.error).not.toBeNull();
    expect(mismatch.body.length).toBeLessThan(bytes.length);
  });

  it('refuses a file that is too large, declared or not, and keeps no row and no file', async () => {
    const before = await rows(a.orgId);
    const files = storedFiles(storageDir, a.orgId);
    const big = Buffer.concat([pdfBytes(), Buffer.alloc(TEST_EVIDENCE_MAX_BYTES, 0x41)]);
    const declared = await upload(stack.gatewayUrl, a.token, { controlId: aControl, fileName: 'big.pdf' }, PDF, big);
    expect(declared.status).toBe(413);
    expect((declared.json as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
    const streamed = await upload(stack.gatewayUrl, a.token, { controlId: aControl, fileName: 'big.pdf' }, PDF, big, { chunked: true });
    expect(streamed.status).toBe(413);
    expect(await rows(a.orgId)).toBe(before);
    expect(storedFiles(storageDir, a.orgId)).toEqual(files);
  });

  it('refuses a type the bytes do not bear out, and types that are not allowed', async () => {
    const before = await rows(a.orgId);
    const files = storedFiles(storageDir, a.orgId);
    const png = Buffer.concat([PNG_HEADER, Buffer.alloc(4000, 1)]);
    const cases: [string, string, Buffer][] = [
      [PDF, 'disguised.pdf', png], // a PNG claiming to be a PDF
      ['text/plain', 'notes.txt', png], // binary claiming to be text
      ['text/csv', 'data.csv', Buffer.from('a,b\n1,\u0000\n')],
      ['application/x-msdownload', 'tool.exe', Buffer.from('MZ\u0090\u0000')],
      ['image/png', 'photo.pdf', png], // name and type disagree
      ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'fake.docx', Buffer.concat([Buffer.from('504b0304', 'hex'), Buffer.alloc(600, 2)])],
    ];
    for (const [type, name, body] of cases) {
      const res = await upload(stack.gatewayUrl, a.token, { controlId: aControl, fileName: name }, type, body);
      expect(res.status, `${type} ${name}: ${res.body.toString()}`).toBe(415);
    }
    expect(await rows(a.orgId)).toBe(before);
    expect(storedFiles(storageDir, a.orgId)).toEqual(files);
    // the allowed text types do go through
    const csv = await upload(stack.gatewayUrl, a.token, { controlId: aControl, fileName: 'access-review.csv' }, 'text/csv; charset=utf-8', Buffer.from('user,decision\nann,keep\nbob,revoke\n'));
    expect(csv.status, csv.body.toString()).toBe(201);
  });

  it('leaves no row and no file when the client goes away mid-upload', async () => {
    const before = await rows(a.orgId);
    const files = storedFiles(storageDir, a.orgId);
    const body = Buffer.concat([pdfBytes(), Buffer.alloc(200_000, 0x42)]);
    const res = await upload(stack.gatewayUrl, a.token, { controlId: aControl, fileName: 'half.pdf' }, PDF, body, { stopAfter: 100_000 });
    expect(res.error?.message).toBe('client went away');
    // the subgraph removes what it stored, then records the failed upload: wait for that record
    const failures = await eventually(
      () => adminQuery<{ data: { reason: string } }>(`select data from audit.events where org_id = $1 and action = 'evidence.upload' and outcome = 'failure'`, [a.orgId]),
      (list) => list.some((e) => e.data.reason === 'upload interrupted'),
    );
    expect(failures.map((e) => e.data.reason)).toContain('upload interrupted');
    expect(readdirSync(join(storageDir, a.orgId)).sort()).toEqual(files);
    expect(await rows(a.orgId)).toBe(before);
  });

  it("never reaches another org's controls or evidence", async () => {
    const [theirs] = await adminQuery<{ id: string }>(`select id from compliance.evidence where org_id = $1 and kind = 'FILE' limit 1`, [a.orgId]);
    // attach to A's control from B: by mutation and by upload
    const add = await gql(stack.gatewayUrl, ADD, { i: { controlId: aControl, kind: 'TEXT', title: 'x', text: 'planted' } }, b.token);
    expect(codes(add)).toEqual(['NOT_FOUND']);
    const missing = await gql(stack.gatewayUrl, ADD, { i: { controlId: '00000000-0000-4000-8000-000000000000', kind: 'TEXT', title: 'x', text: 'y' } }, b.token);
    expect(add.errors![0]!.message).toBe(missing.errors![0]!.message);
    const up = await upload(stack.gatewayUrl, b.token, { controlId: aControl, fileName: 'planted.pdf' }, PDF, pdfBytes());
    expect(up.status).toBe(404);
    expect(storedFiles(storageDir, b.orgId)).toEqual([]);
    // a download link for A's evidence
    const link = await gql(stack.gatewayUrl, LINK, { id: theirs!.id }, b.token);
    expect(codes(link)).toEqual(['NOT_FOUND']);
    // A's control (with its evidence) by id
    const byId = await gql(stack.gatewayUrl, EVIDENCE, { id: aControl }, b.token);
    expect(codes(byId)).toEqual(['NOT_FOUND']);
    // a link altered to name another evidence, and no link at all
    const own = ok(await gql<{ evidenceDownloadUrl: { url: string } }>(stack.gatewayUrl, LINK, { id: theirs!.id }, a.token)).evidenceDownloadUrl.url;
    const token = new URL(own, 'http://x').searchParams.get('token')!;
    const [h, p, s] = token.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...payload, org: b.orgId })).toString('base64url');
    expect((await rawRequest(`${stack.gatewayUrl}/evidence/download?token=${h}.${forged}.${s}`)).status).toBe(401);
    expect((await rawRequest(`${stack.gatewayUrl}/evidence/download`)).status).toBe(401);
    // uploading needs a session
    const anonymous = await rawRequest(`${stack.gatewayUrl}/evidence/upload?controlId=${aControl}&fileName=x.pdf`, { method: 'POST', headers: { 'content-type': PDF }, body: pdfBytes() });
    expect(anonymous.status).toBe(401);
  });

  it('lets a custom role add evidence exactly to the controls its holder owns', async () => {
    const uploader = await addMemberWithRole(stack.gatewayUrl, a, [
      { action: 'read', subject: ['Control', 'Evidence'] },
      { action: 'create', subject: 'Evidence', conditions: { controlOwnerId: '${user.id}' } },
    ], 'Uploader');
    const mine = ok(await gql<{ createControl: { id: string } }>(stack.gatewayUrl, CREATE, { i: { title: 'Mine', ownerId: uploader.userId } }, a.token)).createControl.id;
    const before = await rows(a.orgId);
    const files = storedFiles(storageDir, a.orgId).length;

    const allowed = await upload(stack.gatewayUrl, uploader.token, { controlId: mine, fileName: 'mine.pdf' }, PDF, pdfBytes('mine'));
    expect(allowed.status, allowed.body.toString()).toBe(201);
    ok(await gql(stack.gatewayUrl, ADD, { i: { controlId: mine, kind: 'LINK', title: 'ticket', url: 'https://tickets.example.test/1' } }, uploader.token));

    const refusedUpload = await upload(stack.gatewayUrl, uploader.token, { controlId: aControl, fileName: 'not-mine.pdf' }, PDF, pdfBytes());
    expect(refusedUpload.status).toBe(403);
    const refusedAdd = await gql(stack.gatewayUrl, ADD, { i: { controlId: aControl, kind: 'LINK', title: 't', url: 'https://x.example.test' } }, uploader.token);
    expect(codes(refusedAdd)).toEqual(['FORBIDDEN']);
    expect(await rows(a.orgId)).toBe(before + 2);
    expect(storedFiles(storageDir, a.orgId)).toHaveLength(files + 1);
    const row = (await adminQuery<{ control_owner_id: string }>(`select control_owner_id from compliance.evidence where id = $1`,
      [(allowed.json as { evidence: { id: string } }).evidence.id]))[0]!;
    expect(row.control_owner_id).toBe(uploader.userId);

    // the system Member role: the same for controls they own; Viewer: no evidence at all
    const member = await addMemberWithRole(stack.gatewayUrl, a, 'Member');
    const memberControl = ok(await gql<{ createControl: { id: string } }>(stack.gatewayUrl, CREATE, { i: { title: 'Member owned', ownerId: member.userId } }, member.token)).createControl.id;
    ok(await gql(stack.gatewayUrl, ADD, { i: { controlId: memberControl, kind: 'TEXT', title: 't', text: 'done' } }, member.token));
    expect(codes(await gql(stack.gatewayUrl, ADD, { i: { controlId: aControl, kind: 'TEXT', title: 't', text: 'x' } }, member.token))).toEqual(['FORBIDDEN']);
    const viewer = await addMemberWithRole(stack.gatewayUrl, a, 'Viewer');
    const seen = ok(await gql<{ control: { evidence: unknown[] } }>(stack.gatewayUrl, EVIDENCE, { id: aControl }, viewer.token));
    expect(seen.control.evidence).toEqual([]);
    const [fileId] = await adminQuery<{ id: string }>(`select id from compliance.evidence where org_id = $1 and kind = 'FILE' limit 1`, [a.orgId]);
    expect(codes(await gql(stack.gatewayUrl, LINK, { id: fileId!.id }, viewer.token))).toEqual(['FORBIDDEN']);
  });
});
