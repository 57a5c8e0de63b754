import 'reflect-metadata';
import { runService } from '@packets/graphql';
import { loadSubgraphConfig } from '@packets/config';
import { startAi } from './index';

runService('ai', () => startAi(loadSubgraphConfig('ai', process.env)));
