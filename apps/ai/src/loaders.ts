// The ai subgraph's per-request DataLoaders, assembled from its features' (x.loaders.ts).
import type { RequestContext } from '@packets/graphql';
import { settingsLoaders, type SettingsLoaders } from './settings/settings.loaders';

export type AiLoaders = SettingsLoaders;

export function aiLoaders(ctx: RequestContext<AiLoaders>): AiLoaders {
  return { ...settingsLoaders(ctx) };
}
