import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261127000000_init } from './Migration20261127000000_init';
import { Migration20261127010000_access } from './Migration20261127010000_access';
import { Migration20261127031500_sso_return_to } from './Migration20261127031500_sso_return_to';
import { Migration20261127040000_rate_limit_rls } from './Migration20261127040000_rate_limit_rls';
import { Migration20261203000100_sso_domains } from './Migration20261203000100_sso_domains';
import { Migration20261203000200_session_mfa } from './Migration20261203000200_session_mfa';
import { Migration20261203000700_outbox_claims } from './Migration20261203000700_outbox_claims';

export const identityMigrations: MigrationObject[] = [
  { name: 'Migration20261127000000_init', class: Migration20261127000000_init },
  { name: 'Migration20261127010000_access', class: Migration20261127010000_access },
  { name: 'Migration20261127031500_sso_return_to', class: Migration20261127031500_sso_return_to },
  { name: 'Migration20261127040000_rate_limit_rls', class: Migration20261127040000_rate_limit_rls },
  { name: 'Migration20261203000100_sso_domains', class: Migration20261203000100_sso_domains },
  { name: 'Migration20261203000200_session_mfa', class: Migration20261203000200_session_mfa },
  { name: 'Migration20261203000700_outbox_claims', class: Migration20261203000700_outbox_claims },
];
