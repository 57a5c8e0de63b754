import type { RequestContext } from '@packets/graphql';
import type { AiLoaders } from './loaders';

export type { AiLoaders } from './loaders';

export type AiContext = RequestContext<AiLoaders>;
