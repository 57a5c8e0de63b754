import { describe, expect, it } from 'vitest';
import { generateSigningKeyPair } from '@packets/crypto';
import { loadGatewayConfig, loadSubgraphConfig } from './index';

describe('configuration', () => {
  it('names every missing secret, one line each, with no defaults', () => {
    expect(() => loadSubgraphConfig('identity', {})).toThrowError(
      /config: APP_DATABASE_URL is required but not set\nconfig: CONTEXT_PUBLIC_KEY is required but not set\nconfig: SERVICE_PRIVATE_KEY is required but not set\nconfig: MASTER_KEY is required but not set\nconfig: GATEWAY_SERVICE_PUBLIC_KEY is required but not set\nconfig: COMPLIANCE_SERVICE_PUBLIC_KEY is required but not set/,
    );
    expect(() => loadGatewayConfig({})).toThrowError(
      'config: CONTEXT_PRIVATE_KEY is required but not set\nconfig: SERVICE_PRIVATE_KEY is required but not set\nconfig: COMPLIANCE_SERVICE_PUBLIC_KEY is required but not set',
    );
  });

  it('says what is wrong with a bad value', () => {
    const keys = generateSigningKeyPair();
    expect(() => loadSubgraphConfig('identity', {
      APP_DATABASE_URL: 'mysql://x', CONTEXT_PUBLIC_KEY: keys.privateKey, SERVICE_PRIVATE_KEY: keys.privateKey, BCRYPT_COST: '8',
    })).toThrowError(/APP_DATABASE_URL is invalid: must be a postgres:\/\/ URL[\s\S]*CONTEXT_PUBLIC_KEY is invalid[\s\S]*BCRYPT_COST is invalid: must be an integer from 12 to 16/);
  });

  it('defaults to production and the documented ports', () => {
    const [context, own] = [generateSigningKeyPair(), generateSigningKeyPair()];
    const c = loadSubgraphConfig('compliance', {
      APP_DATABASE_URL: 'postgres://packets_app:pw@db/packets', CONTEXT_PUBLIC_KEY: context.publicKey, SERVICE_PRIVATE_KEY: own.privateKey,
      MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    });
    expect(c).toMatchObject({ dev: false, port: 4002, bcryptCost: 12, servicePublicKeys: {} });
  });

  it('gives each service its own key, and a master key only to the subgraphs that hold data keys', () => {
    const [context, gateway, identity, compliance] = [1, 2, 3, 4].map(() => generateSigningKeyPair());
    const base = { APP_DATABASE_URL: 'postgres://packets_app:pw@db/packets', CONTEXT_PUBLIC_KEY: context!.publicKey };
    const ok = loadSubgraphConfig('identity', {
      ...base, SERVICE_PRIVATE_KEY: identity!.privateKey, MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
      GATEWAY_SERVICE_PUBLIC_KEY: gateway!.publicKey, COMPLIANCE_SERVICE_PUBLIC_KEY: compliance!.publicKey,
    });
    expect(Object.keys(ok.servicePublicKeys).sort()).toEqual(['compliance', 'gateway']);
    // the old single shared service key is refused
    expect(() => loadSubgraphConfig('identity', {
      ...base, SERVICE_PRIVATE_KEY: identity!.privateKey, MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
      GATEWAY_SERVICE_PUBLIC_KEY: identity!.publicKey, COMPLIANCE_SERVICE_PUBLIC_KEY: identity!.publicKey,
    })).toThrowError(/SERVICE_PRIVATE_KEY and GATEWAY_SERVICE_PUBLIC_KEY are the same key/);
    expect(() => loadGatewayConfig({
      CONTEXT_PRIVATE_KEY: gateway!.privateKey, SERVICE_PRIVATE_KEY: gateway!.privateKey, COMPLIANCE_SERVICE_PUBLIC_KEY: compliance!.publicKey,
    })).toThrowError(/CONTEXT_PRIVATE_KEY and SERVICE_PRIVATE_KEY are the same key/);
    // ai has no encrypted data: no master key, and none accepted
    const ai = loadSubgraphConfig('ai', { ...base, SERVICE_PRIVATE_KEY: gateway!.privateKey });
    expect(ai.masterKey).toBeNull();
    expect(() => loadSubgraphConfig('ai', { ...base, SERVICE_PRIVATE_KEY: gateway!.privateKey, MASTER_KEY: Buffer.alloc(32, 1).toString('base64') }))
      .toThrowError('config: MASTER_KEY must not be set for ai');
  });
});
