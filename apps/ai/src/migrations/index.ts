import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261127000300_init } from './Migration20261127000300_init';
import { Migration20261203000700_outbox_claims } from './Migration20261203000700_outbox_claims';

export const aiMigrations: MigrationObject[] = [
  { name: 'Migration20261127000300_init', class: Migration20261127000300_init },
  { name: 'Migration20261203000700_outbox_claims', class: Migration20261203000700_outbox_claims },
];
