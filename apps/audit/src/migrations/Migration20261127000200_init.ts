// The audit log. The app role may only INSERT and SELECT; triggers refuse UPDATE,
// DELETE and TRUNCATE for everyone (the retention job, a later issue, gets its own role).
import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE, tenantPolicySql } from '@packets/db';

export class Migration20261127000200_init extends Migration {
  override up(): void {
    const sql = [
      `create table audit.events (
        id uuid primary key,
        org_id uuid not null,
        occurred_at timestamptz not null,
        received_at timestamptz not null default now(),
        actor_type text not null check (actor_type in ('user', 'apiKey', 'anonymous', 'system')),
        actor_id uuid,
        session_id uuid,
        api_key_id uuid,
        action text not null,
        subject_type text,
        subject_id text,
        outcome text not null check (outcome in ('success', 'failure', 'denied')),
        request_id text,
        ip text,
        user_agent text,
        data jsonb not null default '{}',
        source text not null
      )`,
      `create index events_org_time_idx on audit.events (org_id, occurred_at desc, id desc)`,
      `create index events_org_actor_idx on audit.events (org_id, actor_id, occurred_at desc)`,
      `create index events_org_subject_idx on audit.events (org_id, subject_type, subject_id)`,
      ...tenantPolicySql('audit.events'),
      `grant select, insert on audit.events to ${APP_ROLE}`,
      `create function audit.refuse_change() returns trigger language plpgsql as $$
        begin raise exception 'the audit log is append-only' using errcode = 'insufficient_privilege'; end $$`,
      `create trigger events_append_only before update or delete on audit.events for each row execute function audit.refuse_change()`,
      `create trigger events_no_truncate before truncate on audit.events for each statement execute function audit.refuse_change()`,
    ];
    for (const statement of sql) this.addSql(statement);
  }
}
