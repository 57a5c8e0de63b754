import 'reflect-metadata';
import { runService } from '@packets/http';
import { loadGatewayConfig } from '@packets/config';
import { startGateway } from './index';

runService('gateway', () => startGateway(loadGatewayConfig(process.env)));
