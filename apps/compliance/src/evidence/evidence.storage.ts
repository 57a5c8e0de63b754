// Where encrypted evidence files live. Keys are "<orgId>/<evidenceId>": one
// namespace (folder or key prefix) per organisation. Stored bytes are the
// AES-256-GCM IV followed by the ciphertext; nothing here ever sees plaintext.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface EvidenceStorage {
  /** Stores the whole stream under key; resolves once it is stored, and leaves nothing behind when it fails. */
  put(key: string, body: Readable): Promise<void>;
  get(key: string): Promise<Readable>;
  /** Removes the object (and any partial upload); no error when there is none. */
  delete(key: string): Promise<void>;
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const KEY = new RegExp(`^${UUID}/${UUID}$`);

export function storageKey(orgId: string, evidenceId: string): string {
  const key = `${orgId}/${evidenceId}`;
  if (!KEY.test(key)) throw new Error('storage keys are made of an org id and an evidence id');
  return key;
}

/** A local folder: <dir>/<orgId>/<evidenceId>, written as .part and renamed when complete. */
export class LocalEvidenceStorage implements EvidenceStorage {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  private path(key: string): string {
    if (!KEY.test(key)) throw new Error('invalid storage key');
    const [org, id] = key.split('/') as [string, string];
    return join(this.dir, org, id);
  }

  async put(key: string, body: Readable): Promise<void> {
    const path = this.path(key);
    await mkdir(join(path, '..'), { recursive: true, mode: 0o700 });
    const part = `${path}.part`;
    try {
      await pipeline(body, createWriteStream(part, { flags: 'wx', mode: 0o600 }));
      await rename(part, path);
    } catch (err) {
      body.destroy();
      await rm(part, { force: true });
      throw err;
    }
  }

  get(key: string): Promise<Readable> {
    const stream = createReadStream(this.path(key));
    return new Promise((resolvePromise, reject) => {
      stream.once('open', () => resolvePromise(stream));
      stream.once('error', reject);
    });
  }

  async delete(key: string): Promise<void> {
    const path = this.path(key);
    await rm(`${path}.part`, { force: true });
    await rm(path, { force: true });
  }
}
