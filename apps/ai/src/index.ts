// The AI subgraph: consent, drafts for human review, the record of what reached the AI layer.
import { startSubgraph, type RunningServer } from '@packets/graphql';
import type { SubgraphConfig } from '@packets/config';
import { aiSchema } from './schema';
import { AiSettingsEntity } from './settings/settings.entity';
import { aiLoaders } from './loaders';

export { aiMigrations } from './migrations';
export { aiSchema } from './schema';
export const AI_ENTITIES = [AiSettingsEntity];

export function startAi(config: SubgraphConfig, opts: { now?: () => Date } = {}): Promise<RunningServer> {
  return startSubgraph({
    name: 'ai', config, entities: AI_ENTITIES, schema: aiSchema, loaders: aiLoaders, now: opts.now,
  });
}
