import 'reflect-metadata';
import { runService } from '@packets/graphql';
import { loadSubgraphConfig } from '@packets/config';
import { startIdentity } from './index';

runService('identity', () => startIdentity(loadSubgraphConfig('identity', process.env)));
