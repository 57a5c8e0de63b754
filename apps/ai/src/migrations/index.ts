import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261127000300_init } from './Migration20261127000300_init';

export const aiMigrations: MigrationObject[] = [
  { name: 'Migration20261127000300_init', class: Migration20261127000300_init },
];
