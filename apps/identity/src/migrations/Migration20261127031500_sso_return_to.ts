// SSO: where the browser goes after a successful login, kept with the login state
// (a same-origin path, checked when stored) so that it cannot be changed in flight.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261127031500_sso_return_to extends Migration {
  override up(): void {
    this.addSql(`alter table identity.sso_states add column return_to text
      check (return_to is null or (length(return_to) <= 500 and return_to like '/%' and return_to not like '//%'))`);
  }
}
