// PostgreSQL for the dev runner and the tests: the server named by DATABASE_URL
// when set, otherwise an embedded PostgreSQL (binaries from the npm registry)
// under a local data folder. The embedded superuser password is generated, never a default.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ServerMessage, ServerStart } from './postgres-server';

export interface ProvisionedPostgres {
  /** administrator connection: bootstrap and migrations */
  adminUrl: string;
  embedded: boolean;
  stop: () => Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface EmbeddedOptions {
  dataDir: string;
  port?: number;
  /** superuser password; kept with the data folder by the caller */
  password?: string;
  database?: string;
  persistent?: boolean;
  log?: (line: string) => void;
}

/**
 * As root, PostgreSQL runs as the unprivileged `postgres` OS user, which must be able
 * to pass through every folder above its binaries (in node_modules) and its data. A
 * checkout inside a `mktemp -d` folder (mode 0700) would stop it: add the search
 * bit (x, never read) for others on each ancestor that lacks it.
 */
function allowTraversal(path: string): void {
  for (let dir = path; ; dir = dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) chmodSync(dir, mode | 0o001);
    if (dirname(dir) === dir) return;
  }
}

export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<ProvisionedPostgres> {
  const parent = dirname(opts.dataDir);
  mkdirSync(parent, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    chmodSync(parent, 0o755);
    allowTraversal(parent);
    allowTraversal(__dirname); // the checkout, whose node_modules holds the binaries
  }
  const port = opts.port ?? (await freePort());
  const password = opts.password ?? randomBytes(18).toString('base64url');
  const database = opts.database ?? 'packets';
  // In a child process of its own group (see postgres-server.ts): its exit hooks stay
  // out of this process, and a Ctrl-C to the terminal reaches only this process, which
  // stops the services first and PostgreSQL last.
  const child = fork(join(__dirname, 'postgres-server.ts'), [], {
    execArgv: ['-r', join(__dirname, '../register.cjs')],
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => { stderr = (stderr + c.toString('utf8')).slice(-4000); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (m: ServerMessage) => {
      if (m.type === 'ready') resolve();
      else if (m.type === 'failed') reject(new Error(`embedded PostgreSQL did not start: ${m.message}`));
      else if (m.type === 'log') opts.log?.(m.line);
    });
    void exited.then(() => reject(new Error(`embedded PostgreSQL did not start${stderr ? `:\n${stderr}` : ''}`)));
  });
  const start: ServerStart = {
    type: 'start', dataDir: opts.dataDir, port, password, database, persistent: opts.persistent ?? true, createPostgresUser: asRoot,
  };
  child.send(start);
  await ready;
  let stopped: Promise<void> | null = null;
  return {
    adminUrl: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    embedded: true,
    stop: () => {
      stopped ??= (async () => {
        if (child.connected) child.send({ type: 'stop' });
        await exited;
      })();
      return stopped;
    },
  };
}

/**
 * For tests and benchmarks: DATABASE_URL's server when set, otherwise a throwaway
 * embedded PostgreSQL in a temporary folder that `stop` removes.
 */
export async function provisionPostgres(opts: { databaseUrl?: string; password: string; folderPrefix: string }): Promise<ProvisionedPostgres> {
  if (opts.databaseUrl) return { adminUrl: opts.databaseUrl, embedded: false, stop: () => Promise.resolve() };
  const dir = mkdtempSync(join(tmpdir(), opts.folderPrefix));
  const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pgdata'), password: opts.password, persistent: false });
  return {
    ...pg,
    stop: async () => {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
