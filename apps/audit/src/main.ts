import 'reflect-metadata';
import { runService } from '@packets/graphql';
import { loadSubgraphConfig } from '@packets/config';
import { startAudit } from './index';

runService('audit', () => startAudit(loadSubgraphConfig('audit', process.env)));
