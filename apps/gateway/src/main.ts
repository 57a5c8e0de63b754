import 'reflect-metadata';
import { runService } from '@packets/graphql';
import { loadGatewayConfig } from '@packets/config';
import { startGateway } from './index';

runService('gateway', () => startGateway(loadGatewayConfig(process.env)));
