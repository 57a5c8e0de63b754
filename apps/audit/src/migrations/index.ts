import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261127000200_init } from './Migration20261127000200_init';

export const auditMigrations: MigrationObject[] = [
  { name: 'Migration20261127000200_init', class: Migration20261127000200_init },
];
