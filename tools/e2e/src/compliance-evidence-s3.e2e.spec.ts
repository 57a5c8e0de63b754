// Evidence files in S3-compatible storage (EVIDENCE_S3_* settings) through the whole
// graph, against s3rver, a fake S3 server running on this machine: objects under a
// prefix per organisation, encrypted, read back through a download link; refused
// uploads leave no object.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { gql, signUp, type SignedUp } from '@packets/testing';
import { startStack, type Stack } from '@packets/tool-dev';
import { GENEROUS_RATE_LIMITS, inject } from './harness';
import { ok, pdfBytes, rawRequest, TEST_EVIDENCE_MAX_BYTES, upload } from './compliance-harness';

interface FakeS3 { run(): Promise<{ port: number }>; close(): Promise<void> }
const S3rver = createRequire(__filename)('s3rver') as new (opts: Record<string, unknown>) => FakeS3;

describe('evidence in S3-compatible storage', () => {
  let fake: FakeS3;
  let dir: string;
  let client: S3Client;
  let stack: Stack;
  let a: SignedUp;

  const objects = async (orgId: string) =>
    ((await client.send(new ListObjectsV2Command({ Bucket: 'evidence', Prefix: `${orgId}/` }))).Contents ?? []).map((o) => o.Key);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'packets-s3-'));
    fake = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: [{ name: 'evidence' }] });
    const { port } = await fake.run();
    const endpoint = `http://127.0.0.1:${port}`;
    client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    stack = await startStack({
      adminUrl: inject('adminUrl'), secrets: inject('secrets'), nodeEnv: 'production', relayIntervalMs: 100,
      env: {
        ...GENEROUS_RATE_LIMITS,
        EVIDENCE_S3_BUCKET: 'evidence', EVIDENCE_S3_ENDPOINT: endpoint, EVIDENCE_S3_FORCE_PATH_STYLE: 'true',
        EVIDENCE_S3_ACCESS_KEY_ID: 'S3RVER', EVIDENCE_S3_SECRET_ACCESS_KEY: 'S3RVER', EVIDENCE_MAX_BYTES: String(TEST_EVIDENCE_MAX_BYTES),
        EVIDENCE_STORAGE_DIR: join(dir, 'unused-local-folder'),
      },
    });
    a = await signUp(stack.gatewayUrl, 'S3 Evidence');
  });
  afterAll(async () => {
    await stack?.stop();
    client?.destroy();
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores the encrypted file under the org prefix and serves it back through a link', async () => {
    const control = ok(await gql<{ createControl: { id: string } }>(stack.gatewayUrl, 'mutation { createControl(input: { title: "Backups" }) { id } }', {}, a.token)).createControl.id;
    const bytes = pdfBytes('stored in s3');
    const res = await upload(stack.gatewayUrl, a.token, { controlId: control, fileName: 'backup.pdf' }, 'application/pdf', bytes);
    expect(res.status, res.body.toString()).toBe(201);
    const id = (res.json as { evidence: { id: string } }).evidence.id;
    expect(await objects(a.orgId)).toEqual([`${a.orgId}/${id}`]);
    const stored = await client.send(new GetObjectCommand({ Bucket: 'evidence', Key: `${a.orgId}/${id}` }));
    const raw = Buffer.from(await stored.Body!.transformToByteArray());
    expect(raw.length).toBe(bytes.length + 12);
    expect(raw.includes(Buffer.from('stored in s3'))).toBe(false);

    const link = ok(await gql<{ evidenceDownloadUrl: { url: string } }>(stack.gatewayUrl, 'query($id: ID!) { evidenceDownloadUrl(id: $id) { url } }', { id }, a.token)).evidenceDownloadUrl;
    const got = await rawRequest(`${stack.gatewayUrl}${link.url}`);
    expect(got.error).toBeNull();
    expect(got.body.equals(bytes)).toBe(true);

    const tooLarge = await upload(stack.gatewayUrl, a.token, { controlId: control, fileName: 'big.pdf' }, 'application/pdf',
      Buffer.concat([pdfBytes(), Buffer.alloc(TEST_EVIDENCE_MAX_BYTES)]), { chunked: true });
    expect(tooLarge.status).toBe(413);
    expect(await objects(a.orgId)).toEqual([`${a.orgId}/${id}`]);
  });
});
