import { describe, expect, it } from 'vitest';
import { generateSigningKeyPair } from '@packets/crypto';
import { loadGatewayConfig, loadSubgraphConfig } from './index';

describe('configuration', () => {
  it('names every missing secret, one line each, with no defaults', () => {
    expect(() => loadSubgraphConfig('identity', {})).toThrowError(
      /config: APP_DATABASE_URL is required but not set\nconfig: CONTEXT_PUBLIC_KEY is required but not set\nconfig: SERVICE_PRIVATE_KEY is required but not set\nconfig: MASTER_KEY is required but not set/,
    );
    expect(() => loadGatewayConfig({})).toThrowError('config: CONTEXT_PRIVATE_KEY is required but not set\nconfig: SERVICE_PRIVATE_KEY is required but not set');
  });

  it('says what is wrong with a bad value', () => {
    const keys = generateSigningKeyPair();
    expect(() => loadSubgraphConfig('identity', {
      APP_DATABASE_URL: 'mysql://x', CONTEXT_PUBLIC_KEY: keys.privateKey, SERVICE_PRIVATE_KEY: keys.privateKey, BCRYPT_COST: '8',
    })).toThrowError(/APP_DATABASE_URL is invalid: must be a postgres:\/\/ URL[\s\S]*CONTEXT_PUBLIC_KEY is invalid[\s\S]*BCRYPT_COST is invalid: must be an integer from 12 to 16/);
  });

  it('defaults to production and the documented ports', () => {
    const keys = generateSigningKeyPair();
    const c = loadSubgraphConfig('compliance', {
      APP_DATABASE_URL: 'postgres://packets_app:pw@db/packets', CONTEXT_PUBLIC_KEY: keys.publicKey, SERVICE_PRIVATE_KEY: keys.privateKey,
      MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    });
    expect(c).toMatchObject({ dev: false, port: 4002, bcryptCost: 12 });
  });
});
