// The tamper-evident log (issue 4): per-org hash chain columns, the signed chain
// heads and checkpoints, retention (its role may delete only events sealed by a
// retention checkpoint), exports, alerts and their webhook, the audit subgraph's
// own outbox. See docs/decisions/0005-audit-chain.md.
import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE, AUDIT_RETENTION_ROLE, orgKeysMigrationSql, tenantPolicySql } from '@packets/db';
import { GENESIS_HASH, hashEvent, outboxMigrationSql, type AuditEvent } from '@packets/audit-log';

interface ExistingRow {
  id: string; org_id: string; occurred_at: Date; received_at: Date; actor_type: AuditEvent['actorType']; actor_id: string | null;
  session_id: string | null; api_key_id: string | null; action: string; subject_type: string | null; subject_id: string | null;
  outcome: AuditEvent['outcome']; request_id: string | null; ip: string | null; user_agent: string | null;
  data: Record<string, unknown>; source: string;
}

export class Migration20261201000000_chain extends Migration {
  override async up(): Promise<void> {
    const run = async (sql: string, params: unknown[] = []) => this.execute(sql, params);
    await run(`drop trigger events_append_only on audit.events`);
    await run(`drop trigger events_no_truncate on audit.events`);
    await run(`alter table audit.events add column seq bigint, add column prev_hash text, add column hash text`);

    // Rows stored before the chain existed (a development database) are chained in
    // arrival order, org by org. A fresh database has none.
    const rows = (await run(`select * from audit.events order by org_id, received_at, id`)) as unknown as ExistingRow[];
    const heads = new Map<string, { seq: number; hash: string }>();
    for (const r of rows) {
      const prev = heads.get(r.org_id) ?? { seq: 0, hash: GENESIS_HASH };
      const chained = {
        id: r.id, orgId: r.org_id, occurredAt: new Date(r.occurred_at).toISOString(), receivedAt: new Date(r.received_at).toISOString(),
        actorType: r.actor_type, actorId: r.actor_id, sessionId: r.session_id, apiKeyId: r.api_key_id, action: r.action,
        subjectType: r.subject_type, subjectId: r.subject_id, outcome: r.outcome, requestId: r.request_id, ip: r.ip,
        userAgent: r.user_agent, data: r.data, source: r.source, seq: prev.seq + 1, prevHash: prev.hash,
      };
      const hash = hashEvent(chained);
      // received_at is truncated to the milliseconds that were hashed
      await run(`update audit.events set seq = ?, prev_hash = ?, hash = ?, received_at = ? where id = ?`,
        [chained.seq, chained.prevHash, hash, chained.receivedAt, r.id]);
      heads.set(r.org_id, { seq: chained.seq, hash });
    }

    const app = APP_ROLE;
    const retention = AUDIT_RETENTION_ROLE;
    const sql = [
      `alter table audit.events alter column seq set not null, alter column prev_hash set not null, alter column hash set not null`,
      `create unique index events_org_seq_idx on audit.events (org_id, seq)`,
      // cross-org reference detection looks subjects up across organisations
      `create index events_subject_id_idx on audit.events (subject_id) where subject_id is not null`,
      `create index events_org_action_time_idx on audit.events (org_id, action, occurred_at)`,

      // the chain head of each org: locked FOR UPDATE by every append (no forks), re-signed each time
      `create table audit.chain_heads (
        org_id uuid primary key,
        seq bigint not null,
        hash text not null,
        signed_at timestamptz,
        key_id text,
        signature text
      )`,
      ...tenantPolicySql('audit.chain_heads'),
      `grant select, insert, update on audit.chain_heads to ${app}`,

      `create table audit.checkpoints (
        id uuid primary key,
        org_id uuid not null,
        seq bigint not null,
        head_hash text not null,
        signed_at timestamptz not null,
        key_id text not null,
        signature text not null,
        kind text not null check (kind in ('periodic', 'export', 'retention')),
        created_at timestamptz not null default now()
      )`,
      `create index checkpoints_org_seq_idx on audit.checkpoints (org_id, seq)`,
      ...tenantPolicySql('audit.checkpoints'),
      `grant select, insert on audit.checkpoints to ${app}`,

      `create table audit.org_settings (
        org_id uuid primary key,
        retention_days int not null default 1096 check (retention_days >= 1096),
        webhook_url text,
        webhook_secret text,
        webhook_enabled boolean not null default false,
        webhook_configured_at timestamptz,
        updated_at timestamptz not null default now(),
        check (not webhook_enabled or (webhook_url is not null and webhook_secret is not null))
      )`,
      ...tenantPolicySql('audit.org_settings'),
      `grant select, insert, update on audit.org_settings to ${app}`,
      ...orgKeysMigrationSql('audit'),

      `create table audit.exports (
        id uuid primary key,
        org_id uuid not null,
        requested_by uuid,
        format text not null check (format in ('JSONL', 'CSV')),
        filter jsonb not null default '{}',
        head_seq bigint not null,
        created_at timestamptz not null,
        expires_at timestamptz not null,
        download_started_at timestamptz
      )`,
      ...tenantPolicySql('audit.exports'),
      `grant select, insert, update on audit.exports to ${app}`,

      `create table audit.alerts (
        id uuid primary key,
        org_id uuid not null,
        rule text not null,
        severity text not null check (severity in ('low', 'medium', 'high')),
        actor_id uuid,
        dedupe_key text not null default '',
        summary text not null,
        details jsonb not null default '{}',
        event_ids uuid[] not null default '{}',
        created_at timestamptz not null,
        acknowledged_at timestamptz,
        acknowledged_by uuid,
        webhook_status text not null default 'none' check (webhook_status in ('none', 'pending', 'delivered', 'failed')),
        webhook_attempts int not null default 0,
        webhook_next_at timestamptz,
        webhook_last_error text
      )`,
      `create index alerts_org_created_idx on audit.alerts (org_id, created_at desc, id desc)`,
      `create index alerts_dedupe_idx on audit.alerts (org_id, rule, actor_id, dedupe_key, created_at desc)`,
      `create index alerts_webhook_idx on audit.alerts (webhook_next_at) where webhook_status = 'pending'`,
      ...tenantPolicySql('audit.alerts'),
      `grant select, insert, update on audit.alerts to ${app}`,

      ...outboxMigrationSql('audit'),

      // Events that could not be appended because the org's chain was found altered
      // (head signature invalid, a forged event in the next seq): kept, not lost, not chained.
      `create table audit.quarantine (
        id uuid primary key,
        org_id uuid not null,
        payload jsonb not null,
        reason text not null,
        received_at timestamptz not null default now()
      )`,
      ...tenantPolicySql('audit.quarantine'),
      `grant select, insert on audit.quarantine to ${app}`,

      // Webhook deliveries are claimed across organisations (like the outbox relay):
      // a lease of one minute keeps two audit instances from sending the same alert twice.
      `create function audit.webhook_claim(max_rows int) returns table (id uuid, org_id uuid)
        language sql security definer set search_path = pg_catalog as $$
          update audit.alerts a set webhook_next_at = now() + interval '1 minute'
          where a.id in (select p.id from audit.alerts p where p.webhook_status = 'pending' and p.webhook_next_at <= now()
                         order by p.webhook_next_at limit max_rows for update skip locked)
          returning a.id, a.org_id
        $$`,
      `revoke all on function audit.webhook_claim(int) from public`,
      `grant execute on function audit.webhook_claim(int) to ${app}`,
      // Which of these ids are subjects in another organisation's log and never in this
      // one's: an attempt to reach another org's object. Answers ids only.
      `create function audit.foreign_subjects(org uuid, ids text[]) returns setof text
        language sql stable security definer set search_path = pg_catalog as $$
          select distinct e.subject_id from audit.events e where e.subject_id = any(ids) and e.org_id <> org
          except
          select e.subject_id from audit.events e where e.subject_id = any(ids) and e.org_id = org
        $$`,
      `revoke all on function audit.foreign_subjects(uuid, text[]) from public`,
      `grant execute on function audit.foreign_subjects(uuid, text[]) to ${app}`,

      // Retention: its role reads and deletes across organisations, and nothing else.
      `grant usage on schema audit to ${retention}`,
      `grant select, delete on audit.events to ${retention}`,
      `grant select, insert on audit.checkpoints to ${retention}`,
      `grant select on audit.org_settings, audit.chain_heads to ${retention}`,
      ...['events', 'checkpoints', 'org_settings', 'chain_heads'].map((t) =>
        `create policy retention_job on audit.${t} to ${retention} using (true) with check (true)`),

      // Append-only, for everyone (owner and superusers included, as long as the
      // triggers are on), except deletes by the retention role of events that a
      // retention checkpoint already seals.
      `create or replace function audit.refuse_change() returns trigger language plpgsql as $$
        begin
          if tg_op = 'DELETE' and tg_table_name = 'events' and current_user = '${retention}' and exists (
            select 1 from audit.checkpoints c where c.org_id = old.org_id and c.kind = 'retention' and c.seq >= old.seq
          ) then
            return old;
          end if;
          raise exception 'the audit log is append-only' using errcode = 'insufficient_privilege';
        end $$`,
      `create trigger events_append_only before update or delete on audit.events for each row execute function audit.refuse_change()`,
      `create trigger events_no_truncate before truncate on audit.events for each statement execute function audit.refuse_change()`,
      `create trigger checkpoints_append_only before update or delete on audit.checkpoints for each row execute function audit.refuse_change()`,
      `create trigger checkpoints_no_truncate before truncate on audit.checkpoints for each statement execute function audit.refuse_change()`,
    ];
    for (const statement of sql) await run(statement);
    for (const [orgId, head] of heads) {
      await run(`insert into audit.chain_heads (org_id, seq, hash) values (?, ?, ?)`, [orgId, head.seq, head.hash]);
    }
  }
}
