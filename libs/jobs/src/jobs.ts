// Background work on pg-boss: jobs live in the service's own PostgreSQL (schema
// `jobs`), so every replica of a service shares one queue and each job is taken by
// exactly one of them (SKIP LOCKED). Retries are ours, not pg-boss's: a failed
// attempt is completed and its successor sent as a new job that starts after
// backoff() (milliseconds, doubling, capped), so the one back-off of the codebase
// also times job retries. Each attempt is one pg-boss job; the successor's id is
// derived from its predecessor's, so re-running an attempt never sends two.
import { createHash } from 'node:crypto';
import PgBoss from 'pg-boss';
import { backoff } from './backoff';

/** The pg-boss schema: made and migrated at migration time (migrateJobs), never by a service. */
export const JOBS_SCHEMA = 'jobs';

export interface JobContext<T> {
  id: string;
  data: T;
  /** 1 for the first attempt */
  attempt: number;
  /** when this attempt throws: the delay before the next one, or null when it is the last */
  retryInMs: number | null;
}

export interface JobDefinition<T extends object = object> {
  /** queue, e.g. 'audit.webhook-delivery' */
  name: string;
  /** throw to fail the attempt (retried when `retry` allows) */
  handler: (job: JobContext<T>) => Promise<void>;
  /** a cron schedule (pg-boss: one job per tick across all replicas); tz defaults to UTC */
  schedule?: { cron: string; data?: T; tz?: string };
  /** attempts in all (limit) and the back-off between them; default one attempt */
  retry?: { limit: number; baseMs: number; maxMs: number; jitter?: boolean };
  /**
   * 'stately': at most one waiting and one running job per singletonKey (sends beyond
   * that are dropped, send returns null); 'singleton': one running at a time. Default 'standard'.
   */
  policy?: 'standard' | 'singleton' | 'stately';
  /** an attempt still running after this long counts as failed (default 15 minutes) */
  timeoutSeconds?: number;
  /** jobs of this queue one instance runs at once (default 1) */
  concurrency?: number;
}

export interface SendOptions {
  /** with policy 'stately' or 'singleton': jobs with the same key are one */
  singletonKey?: string;
  startAfterSeconds?: number;
}

export interface Jobs {
  send<T extends object>(name: string, data: T, opts?: SendOptions): Promise<string | null>;
  stop(): Promise<void>;
}

export interface StartJobsOptions {
  databaseUrl: string;
  /** the service name: connection application_name and log lines */
  service: string;
  jobs: JobDefinition[];
  log: (m: string) => void;
  /** prefix of every queue name: deployments (or test stacks) sharing one database keep their jobs apart */
  namespace?: string;
  /** how often an idle worker looks for jobs; a send from this process wakes its worker at once */
  pollingIntervalSeconds?: number;
  schema?: string;
}

/** What is stored as a pg-boss job's data: the caller's data and which attempt this is. */
interface Envelope<T> {
  data: T;
  attempt: number;
}

const DEFAULT_TIMEOUT_SECONDS = 15 * 60;

export function queueName(name: string, namespace?: string): string {
  return namespace ? `${namespace}.${name}` : name;
}

/** The next attempt's job id: the same for every run of one attempt, so a re-run sends it once. */
function successorId(jobId: string): string {
  const h = createHash('sha256').update(`${jobId}:next`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export async function startJobs(opts: StartJobsOptions): Promise<Jobs> {
  const schema = opts.schema ?? JOBS_SCHEMA;
  const polling = opts.pollingIntervalSeconds ?? 2;
  const defs = new Map(opts.jobs.map((d) => [d.name, d]));
  if (defs.size !== opts.jobs.length) throw new Error(`${opts.service} jobs: a job name is defined twice`);
  const boss = new PgBoss({
    connectionString: opts.databaseUrl,
    schema,
    application_name: `${opts.service}-jobs`,
    max: 4,
    // the schema is migrated at migration time, as its owner: a service only checks the version
    migrate: false,
    schedule: opts.jobs.some((d) => d.schedule),
    pollingIntervalSeconds: polling,
    // schedules are looked at every 5 s by one instance of all (pg-boss's default is 30 s,
    // and its first look comes before this service's schedules are saved)
    cronMonitorIntervalSeconds: 5,
    cronWorkerIntervalSeconds: 2,
  });
  boss.on('error', (err) => opts.log(`${opts.service} jobs: ${err.message}`));
  await boss.start();

  const workers = new Map<string, string[]>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  /** wake this process's worker for the queue when the job is due (other replicas poll) */
  const wake = (queue: string, afterMs: number) => {
    const ids = workers.get(queue);
    if (!ids || stopped) return;
    const notify = () => { for (const id of ids) boss.notifyWorker(id); };
    if (afterMs <= 0) return notify();
    const t = setTimeout(() => { timers.delete(t); if (!stopped) notify(); }, afterMs);
    t.unref();
    timers.add(t);
  };

  const nativeOptions = (def: JobDefinition): PgBoss.SendOptions => ({
    // pg-boss's own retries stay off: an attempt that failed is retried by run() below
    retryLimit: 0,
    expireInSeconds: def.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
  });

  const sendAttempt = async (def: JobDefinition, data: object, attempt: number, o: PgBoss.SendOptions & { startAfterMs?: number }) => {
    const queue = queueName(def.name, opts.namespace);
    const { startAfterMs, ...rest } = o;
    const options: PgBoss.SendOptions = { ...nativeOptions(def), ...rest };
    if (startAfterMs) options.startAfter = new Date(Date.now() + startAfterMs);
    const envelope: Envelope<object> = { data, attempt };
    const id = await boss.send(queue, envelope, options);
    if (id) wake(queue, startAfterMs ?? 0);
    return id;
  };

  const run = async (def: JobDefinition, job: PgBoss.JobWithMetadata<Envelope<object>>) => {
    const { data, attempt } = job.data;
    const limit = def.retry?.limit ?? 1;
    const retryInMs = def.retry && attempt < limit ? backoff(attempt, def.retry) : null;
    try {
      await def.handler({ id: job.id, data, attempt, retryInMs });
    } catch (err) {
      const why = (err as Error).message;
      if (retryInMs === null) {
        opts.log(`${opts.service} job ${def.name} ${job.id}: attempt ${attempt} of ${limit} failed (${why}), no retry left`);
        throw err; // pg-boss keeps it as failed
      }
      opts.log(`${opts.service} job ${def.name} ${job.id}: attempt ${attempt} of ${limit} failed (${why}), next in ${retryInMs} ms`);
      await sendAttempt(def, data, attempt + 1, { id: successorId(job.id), singletonKey: job.singletonKey ?? undefined, startAfterMs: retryInMs });
    }
  };

  try {
    for (const def of opts.jobs) {
      const queue = queueName(def.name, opts.namespace);
      if (!(await boss.getQueue(queue))) await boss.createQueue(queue, { name: queue, policy: def.policy ?? 'standard' });
      const ids: string[] = [];
      workers.set(queue, ids);
      for (let i = 0; i < (def.concurrency ?? 1); i++) {
        const id: string = await boss.work<Envelope<object>>(queue, { pollingIntervalSeconds: polling, batchSize: 1, includeMetadata: true }, async ([job]) => {
          if (!job) return;
          // look for the next job at once, not after the polling interval (an empty fetch waits)
          boss.notifyWorker(id);
          await run(def, job);
        });
        ids.push(id);
      }
      if (def.schedule) {
        const envelope: Envelope<object> = { data: def.schedule.data ?? {}, attempt: 1 };
        await boss.schedule(queue, def.schedule.cron, envelope, { ...nativeOptions(def), tz: def.schedule.tz ?? 'UTC' });
      } else {
        // a schedule dropped from the code stops too
        await boss.unschedule(queue);
      }
    }
  } catch (err) {
    await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
    throw err;
  }

  return {
    send: async (name, data, o = {}) => {
      const def = defs.get(name);
      if (!def) throw new Error(`${opts.service} jobs: no job named ${name}`);
      return sendAttempt(def, data, 1, {
        ...(o.singletonKey ? { singletonKey: o.singletonKey } : {}),
        ...(o.startAfterSeconds ? { startAfterMs: o.startAfterSeconds * 1000 } : {}),
      });
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      // graceful: running attempts finish (up to 10 s), then the pool closes
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}
