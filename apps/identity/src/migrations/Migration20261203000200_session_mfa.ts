// Sessions remember whether they were opened (or later confirmed) with a second
// factor, so that turning "MFA required" on ends the ones that were not; and a
// look-up of an account's organisations before any org context exists (sign-up
// with a known email records the attempt in each of them).
import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE } from '@packets/db';

export class Migration20261203000200_session_mfa extends Migration {
  override up(): void {
    this.addSql(`alter table identity.sessions add column mfa_verified boolean not null default false`);
    this.addSql(`update identity.sessions set mfa_verified = true where method = 'mfa'`);
    this.addSql(`create function identity.org_ids_of_user(p_user_id uuid) returns table (org_id uuid)
      language sql stable security definer set search_path = pg_catalog as $$
        select org_id from identity.memberships where user_id = p_user_id order by created_at $$`);
    this.addSql(`revoke all on function identity.org_ids_of_user(uuid) from public`);
    this.addSql(`grant execute on function identity.org_ids_of_user(uuid) to ${APP_ROLE}`);
  }
}
