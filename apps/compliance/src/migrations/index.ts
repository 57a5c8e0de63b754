import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261127000100_init } from './Migration20261127000100_init';

export const complianceMigrations: MigrationObject[] = [
  { name: 'Migration20261127000100_init', class: Migration20261127000100_init },
];
