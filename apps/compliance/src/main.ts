import 'reflect-metadata';
import { runService } from '@packets/graphql';
import { loadSubgraphConfig } from '@packets/config';
import { startCompliance } from './index';

runService('compliance', () => startCompliance(loadSubgraphConfig('compliance', process.env)));
