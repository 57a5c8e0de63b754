import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261127000000_init } from './Migration20261127000000_init';
import { Migration20261127010000_access } from './Migration20261127010000_access';

export const identityMigrations: MigrationObject[] = [
  { name: 'Migration20261127000000_init', class: Migration20261127000000_init },
  { name: 'Migration20261127010000_access', class: Migration20261127010000_access },
];
