// Retention as a scheduled job of the audit subgraph: daily (AUDIT_RETENTION_CRON, UTC)
// across all instances, one run at a time, connected as the retention role
// (AUDIT_RETENTION_DATABASE_URL: the service's own packets_app may not delete events).
// Without that URL there is no schedule, and `npm run audit-retention` does the job.
import type { KeyObject } from 'node:crypto';
import type { JobDefinition } from '@packets/jobs';
import { runRetention, retentionSummary } from './retention.job';

export const RETENTION_JOB = 'audit.retention';

export function retentionJobs(opts: {
  databaseUrl: string | null;
  cron: string;
  signingKey: KeyObject;
  now: () => Date;
  log: (line: string) => void;
}): JobDefinition[] {
  const { databaseUrl } = opts;
  if (!databaseUrl) return [];
  return [{
    name: RETENTION_JOB,
    schedule: { cron: opts.cron },
    policy: 'singleton',
    // a tampered segment is reported, not retried: another pass would find it tampered still
    timeoutSeconds: 6 * 3600,
    handler: async () => {
      const reports = await runRetention({ databaseUrl, signingKey: opts.signingKey, now: opts.now, log: opts.log });
      opts.log(retentionSummary(reports).line);
    },
  }];
}
