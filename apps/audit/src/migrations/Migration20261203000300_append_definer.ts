// The app role no longer writes the chain directly (issue 8, finding 7). Appends go
// through two SECURITY DEFINER functions owned by the owner role: chain_head_lock
// (serialises an org's writers and returns its head) and chain_append (inserts the
// events after checking that they continue the head, and stores the new signed head).
// packets_app keeps SELECT on events and heads and loses INSERT/UPDATE on both, so a
// forged row or a nulled head signature needs more than the services' credentials;
// the head's signature columns are NOT NULL, and both verifiers fail on a missing or
// unsigned head.
//
// Cross-org reference alerts (finding 6) go to the organisation that owns the objects,
// never to the requester: raise_cross_org_alerts finds the owners of ids the requester
// reached for and raises the alert in each owner's log, naming only the owner's ids.
import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE, OWNER_ROLE } from '@packets/db';
import { GENESIS_HASH } from '@packets/audit-log';

const ORG_MATCHES = `if org is null or org is distinct from nullif(current_setting('app.org_id', true), '')::uuid then
    raise exception 'audit chain: org % is not the transaction''s organisation', org using errcode = 'insufficient_privilege';
  end if;`;
const LOCK = `perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('audit.chain:' || org::text, 0));`;

export class Migration20261203000300_append_definer extends Migration {
  override up(): void {
    const app = APP_ROLE;
    const sql = [
      // a head at seq 0 chained nothing (an append whose events were all redeliveries left it)
      `delete from audit.chain_heads where seq = 0 and signature is null`,
      `do $$ begin
        if exists (select 1 from audit.chain_heads where signature is null or signed_at is null or key_id is null) then
          raise exception 'audit.chain_heads holds unsigned heads (rows chained before signing existed): sign them with the audit key or reset this development database';
        end if;
      end $$`,
      `alter table audit.chain_heads alter column signed_at set not null, alter column key_id set not null, alter column signature set not null`,

      `create function audit.chain_head_lock(org uuid)
        returns table (org_id uuid, seq bigint, hash text, signed_at timestamptz, key_id text, signature text)
        language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
        begin
          ${ORG_MATCHES}
          ${LOCK}
          return query select h.org_id, h.seq, h.hash, h.signed_at, h.key_id, h.signature
            from audit.chain_heads h where h.org_id = org for update;
        end $$`,

      `create function audit.chain_append(org uuid, events jsonb, signed_at timestamptz, key_id text, signature text)
        returns integer
        language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
        declare
          head_seq bigint;
          head_hash text;
          n integer;
          problems integer;
          last_hash text;
        begin
          ${ORG_MATCHES}
          if signed_at is null or key_id is null or signature is null or signature = '' then
            raise exception 'audit chain: the new head must be signed' using errcode = 'not_null_violation';
          end if;
          if events is null or pg_catalog.jsonb_typeof(events) <> 'array' or pg_catalog.jsonb_array_length(events) = 0 then
            raise exception 'audit chain: nothing to append' using errcode = 'invalid_parameter_value';
          end if;
          ${LOCK}
          select h.seq, h.hash into head_seq, head_hash from audit.chain_heads h where h.org_id = org for update;
          head_seq := coalesce(head_seq, 0);
          head_hash := coalesce(head_hash, '${GENESIS_HASH}');
          n := pg_catalog.jsonb_array_length(events);
          -- the events must continue the head: this org, seq head+1..head+n, each linked to the one before
          select count(*) into problems
            from pg_catalog.jsonb_to_recordset(events) as x(seq bigint, "orgId" uuid, "prevHash" text, hash text)
            left join pg_catalog.jsonb_to_recordset(events) as p(seq bigint, hash text) on p.seq = x.seq - 1
           where x."orgId" is distinct from org or x.seq is null or x.seq <= head_seq or x.seq > head_seq + n or x.hash is null
              or (x.seq = head_seq + 1 and x."prevHash" is distinct from head_hash)
              or (x.seq > head_seq + 1 and x."prevHash" is distinct from p.hash);
          if problems > 0 or (select count(distinct x.seq) from pg_catalog.jsonb_to_recordset(events) as x(seq bigint)) <> n then
            raise exception 'audit chain: the events do not continue the head at seq %', head_seq using errcode = 'check_violation';
          end if;
          select x.hash into last_hash from pg_catalog.jsonb_to_recordset(events) as x(seq bigint, hash text) where x.seq = head_seq + n;

          insert into audit.events (id, org_id, seq, prev_hash, hash, occurred_at, received_at, actor_type, actor_id, session_id,
              api_key_id, action, subject_type, subject_id, outcome, request_id, ip, user_agent, data, source)
            select x.id, x."orgId", x.seq, x."prevHash", x.hash, x."occurredAt", x."receivedAt", x."actorType", x."actorId", x."sessionId",
              x."apiKeyId", x.action, x."subjectType", x."subjectId", x.outcome, x."requestId", x.ip, x."userAgent", coalesce(x.data, '{}'::jsonb), x.source
            from pg_catalog.jsonb_to_recordset(events) as x(id uuid, "orgId" uuid, seq bigint, "prevHash" text, hash text,
              "occurredAt" timestamptz, "receivedAt" timestamptz, "actorType" text, "actorId" uuid, "sessionId" uuid, "apiKeyId" uuid,
              action text, "subjectType" text, "subjectId" text, outcome text, "requestId" text, ip text, "userAgent" text, data jsonb, source text)
            order by x.seq;

          insert into audit.chain_heads as h (org_id, seq, hash, signed_at, key_id, signature)
            values (org, head_seq + n, last_hash, chain_append.signed_at, chain_append.key_id, chain_append.signature)
            on conflict (org_id) do update set seq = excluded.seq, hash = excluded.hash, signed_at = excluded.signed_at,
              key_id = excluded.key_id, signature = excluded.signature;
          return n;
        end $$`,

      `create function audit.raise_cross_org_alerts(requester uuid, ids text[], details jsonb, created timestamptz)
        returns table (owner_org uuid, object_ids text[], raised boolean)
        language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
        declare
          r record;
          key text;
          hook boolean;
        begin
          if requester is null or requester is distinct from nullif(current_setting('app.org_id', true), '')::uuid then
            raise exception 'audit alerts: org % is not the transaction''s organisation', requester using errcode = 'insufficient_privilege';
          end if;
          for r in
            select e.org_id as owner, array_agg(distinct e.subject_id order by e.subject_id) as oids
              from audit.events e
             where e.subject_id = any(ids) and e.org_id <> requester
               and not exists (select 1 from audit.events m where m.org_id = requester and m.subject_id = e.subject_id)
             group by e.org_id
          loop
            -- opaque to the owner: which org asked stays in the platform log
            key := md5(requester::text || '|' || array_to_string(r.oids, ','));
            owner_org := r.owner;
            object_ids := r.oids;
            raised := not exists (select 1 from audit.alerts a where a.org_id = r.owner and a.rule = 'cross_org_reference'
              and a.dedupe_key = key and a.created_at > created - interval '1 hour');
            if raised then
              select coalesce(bool_or(s.webhook_enabled), false) into hook from audit.org_settings s where s.org_id = r.owner;
              insert into audit.alerts (id, org_id, rule, severity, actor_id, dedupe_key, summary, details, event_ids, created_at,
                  webhook_status, webhook_next_at)
                values (gen_random_uuid(), r.owner, 'cross_org_reference', 'high', null, key,
                  'A request from outside this organisation referenced ' || cardinality(r.oids) || ' of its object(s)',
                  coalesce(details, '{}'::jsonb) || jsonb_build_object('objectIds', to_jsonb(r.oids)), '{}', created,
                  case when hook then 'pending' else 'none' end, case when hook then now() end);
            end if;
            return next;
          end loop;
        end $$`,
      `alter function audit.raise_cross_org_alerts(uuid, text[], jsonb, timestamptz) owner to ${OWNER_ROLE}`,
      `revoke all on function audit.raise_cross_org_alerts(uuid, text[], jsonb, timestamptz) from public`,
      `grant execute on function audit.raise_cross_org_alerts(uuid, text[], jsonb, timestamptz) to ${app}`,
      // it answered the requester which foreign ids exist; raise_cross_org_alerts replaces it
      `drop function audit.foreign_subjects(uuid, text[])`,

      `alter function audit.chain_head_lock(uuid) owner to ${OWNER_ROLE}`,
      `alter function audit.chain_append(uuid, jsonb, timestamptz, text, text) owner to ${OWNER_ROLE}`,
      `revoke all on function audit.chain_head_lock(uuid) from public`,
      `revoke all on function audit.chain_append(uuid, jsonb, timestamptz, text, text) from public`,
      `grant execute on function audit.chain_head_lock(uuid) to ${app}`,
      `grant execute on function audit.chain_append(uuid, jsonb, timestamptz, text, text) to ${app}`,
      `revoke insert, update, delete, truncate on audit.events from ${app}`,
      `revoke insert, update, delete, truncate on audit.chain_heads from ${app}`,
    ];
    for (const statement of sql) this.addSql(statement);
  }
}
