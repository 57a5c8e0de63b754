import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261127000200_init } from './Migration20261127000200_init';
import { Migration20261201000000_chain } from './Migration20261201000000_chain';

export const auditMigrations: MigrationObject[] = [
  { name: 'Migration20261127000200_init', class: Migration20261127000200_init },
  { name: 'Migration20261201000000_chain', class: Migration20261201000000_chain },
];
