// The protocol between `npm run bench:compare` and the process serving one stack
// (bare or Packets): it is told what to start, says when it is ready, then answers
// samples of its own CPU time, RSS and SQL statement count, and stops when told. Each
// stack runs alone in its own process, so process.cpuUsage() is that stack's Node CPU
// (all its threads); the load generator is another child.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface Sample { type: 'sample'; cpu: NodeJS.CpuUsage; rssBytes: number; statements: number }
export interface Ready { type: 'ready'; url: string; token: string; orgId: string }
export type ToServer<C> = { type: 'start'; config: C } | { type: 'sample' } | { type: 'stop' };
export type FromServer = Ready | Sample | { type: 'failed'; message: string };

export interface Served { ready: Omit<Ready, 'type'>; statements: () => number; stop: () => Promise<void> }

/** In the serving process: start on the first message, then answer samples until told to stop. */
export function serveStack<C>(start: (config: C) => Promise<Served>): void {
  const send = (m: FromServer) => process.send?.(m);
  let served: Served | null = null;
  process.on('message', (m: ToServer<C>) => {
    if (m.type === 'start') {
      start(m.config).then((s) => {
        served = s;
        send({ type: 'ready', ...s.ready });
      }, (err: unknown) => {
        send({ type: 'failed', message: err instanceof Error ? err.stack ?? err.message : String(err) });
        process.exit(1);
      });
    } else if (m.type === 'sample') {
      send({ type: 'sample', cpu: process.cpuUsage(), rssBytes: process.memoryUsage().rss, statements: served?.statements() ?? 0 });
    } else {
      void (served?.stop() ?? Promise.resolve()).finally(() => process.exit(0));
    }
  });
}

export interface StackProcess {
  ready: Omit<Ready, 'type'>;
  sample: () => Promise<Sample>;
  stop: () => Promise<void>;
}

/** In the benchmark: fork a server script (TypeScript, through the repo's register hook) in production mode and start it. */
export async function forkStack<C>(script: string, config: C): Promise<StackProcess> {
  const child: ChildProcess = fork(script, [], {
    execArgv: ['-r', join(__dirname, '../../../dev/register.cjs')],
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const next = <T extends FromServer['type']>(type: T) => new Promise<Extract<FromServer, { type: T }>>((resolve, reject) => {
    const onMessage = (m: FromServer) => {
      if (m.type === 'failed') reject(new Error(`${script} failed: ${m.message}`));
      else if (m.type === type) resolve(m as Extract<FromServer, { type: T }>);
      else return;
      child.off('message', onMessage);
    };
    child.on('message', onMessage);
    void exited.then(() => reject(new Error(`${script} exited`)));
  });
  const ready = next('ready');
  child.send({ type: 'start', config } satisfies ToServer<C>);
  const { url, token, orgId } = await ready;
  return {
    ready: { url, token, orgId },
    sample: () => {
      const s = next('sample');
      child.send({ type: 'sample' } satisfies ToServer<C>);
      return s;
    },
    stop: async () => {
      if (child.connected) child.send({ type: 'stop' } satisfies ToServer<C>);
      await exited;
    },
  };
}
