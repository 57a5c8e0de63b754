// The two evidence storages against real backends: a local folder, and an
// S3-compatible server (s3rver, a fake S3 running on this machine) through
// @aws-sdk/client-s3. Same contract: a stored object reads back whole; a stream
// that fails leaves no object behind.
import { createRequire } from 'node:module';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Client } from '@aws-sdk/client-s3';
import { LocalEvidenceStorage, storageKey, type EvidenceStorage } from './evidence.storage';
import { S3EvidenceStorage } from './s3.storage';

interface FakeS3 { run(): Promise<{ address: string; port: number }>; close(): Promise<void> }
type FakeS3Class = new (opts: Record<string, unknown>) => FakeS3;
const S3rver = createRequire(__filename)('s3rver') as FakeS3Class;

const PART = 5 * 1024 * 1024;

function failing(bytes: Buffer, after: number): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(bytes.subarray(0, after));
      } else {
        this.destroy(new Error('client went away'));
      }
    },
  });
}

async function readAll(s: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe.each(['local', 's3'] as const)('%s evidence storage', (kind) => {
  let storage: EvidenceStorage;
  let dir: string;
  let fake: FakeS3 | null = null;
  let client: S3Client | null = null;
  const org = randomUUID();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'packets-storage-'));
    if (kind === 'local') {
      storage = new LocalEvidenceStorage(dir);
      return;
    }
    fake = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: [{ name: 'evidence' }] });
    const { port } = await fake.run();
    client = new S3Client({
      region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
    });
    storage = new S3EvidenceStorage(client, 'evidence', PART);
  });
  afterAll(async () => {
    client?.destroy();
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores a small object and reads it back', async () => {
    const key = storageKey(org, randomUUID());
    await storage.put(key, Readable.from([Buffer.from('hello '), Buffer.from('evidence')]));
    expect(await text(await storage.get(key))).toBe('hello evidence');
    await storage.delete(key);
    await expect(storage.get(key)).rejects.toThrow();
    await storage.delete(key); // deleting what is gone is fine
  });

  it('streams a large object in parts', async () => {
    const key = storageKey(org, randomUUID());
    const bytes = randomBytes(PART * 2 + 1234);
    await storage.put(key, Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000, PART + 7), bytes.subarray(PART + 7)]));
    expect((await readAll(await storage.get(key))).equals(bytes)).toBe(true);
  });

  it('leaves nothing behind when the stream fails, small or large', async () => {
    for (const size of [1000, PART + 100]) {
      const key = storageKey(org, randomUUID());
      const bytes = randomBytes(size);
      await expect(storage.put(key, failing(bytes, size - 10))).rejects.toThrow('client went away');
      await expect(storage.get(key)).rejects.toThrow();
    }
    // (s3rver implements neither AbortMultipartUpload nor ListMultipartUploads: for S3
    // the test shows that no object appears; the abort itself is not observable here)
    if (kind === 'local') expect(readdirSync(join(dir, org)).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('refuses keys outside an organisation namespace', () => {
    expect(() => storageKey('../etc', 'passwd')).toThrow();
  });
});
