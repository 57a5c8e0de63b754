import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261127000200_init } from './Migration20261127000200_init';
import { Migration20261201000000_chain } from './Migration20261201000000_chain';
import { Migration20261203000300_append_definer } from './Migration20261203000300_append_definer';
import { Migration20261203000700_outbox_claims } from './Migration20261203000700_outbox_claims';

export const auditMigrations: MigrationObject[] = [
  { name: 'Migration20261127000200_init', class: Migration20261127000200_init },
  { name: 'Migration20261201000000_chain', class: Migration20261201000000_chain },
  { name: 'Migration20261203000300_append_definer', class: Migration20261203000300_append_definer },
  { name: 'Migration20261203000700_outbox_claims', class: Migration20261203000700_outbox_claims },
];
