import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261127000100_init } from './Migration20261127000100_init';
import { Migration20261202000000_catalogues } from './Migration20261202000000_catalogues';
import { Migration20261202000100_core } from './Migration20261202000100_core';
import { Migration20261203000400_policy_editors } from './Migration20261203000400_policy_editors';
import { Migration20261203000700_outbox_claims } from './Migration20261203000700_outbox_claims';

export const complianceMigrations: MigrationObject[] = [
  { name: 'Migration20261127000100_init', class: Migration20261127000100_init },
  { name: 'Migration20261202000000_catalogues', class: Migration20261202000000_catalogues },
  { name: 'Migration20261202000100_core', class: Migration20261202000100_core },
  { name: 'Migration20261203000400_policy_editors', class: Migration20261203000400_policy_editors },
  { name: 'Migration20261203000700_outbox_claims', class: Migration20261203000700_outbox_claims },
];
