import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261127000000_init } from './Migration20261127000000_init';

export const identityMigrations: MigrationObject[] = [
  { name: 'Migration20261127000000_init', class: Migration20261127000000_init },
];
