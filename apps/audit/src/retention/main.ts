// `npm run audit-retention`: one pass of the retention job (the audit subgraph also
// runs it daily when given AUDIT_RETENTION_DATABASE_URL).
// AUDIT_RETENTION_DATABASE_URL: an administrator URL, or a login role granted
// packets_audit_retention; AUDIT_SIGNING_KEY: the audit subgraph's signing key.
import 'reflect-metadata';
import { loadRetentionConfig } from '@packets/config';
import { retentionSummary, runRetention } from './retention.job';

async function main(): Promise<void> {
  const config = loadRetentionConfig(process.env);
  const reports = await runRetention({ databaseUrl: config.databaseUrl, signingKey: config.auditSigningKey, log: (l) => console.log(l) });
  const { line, skipped } = retentionSummary(reports);
  console.log(line);
  if (skipped > 0) process.exitCode = 2;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error && err.name === 'ConfigError' ? err.message : err);
  process.exit(1);
});
