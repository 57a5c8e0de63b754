import { describe, expect, it } from 'vitest';
import { loadRateLimit } from './rate-limit';

describe('gateway rate-limit settings', () => {
  it('defaults to 5000 / 30000 / 100000 points a minute, counted in PostgreSQL', () => {
    expect(loadRateLimit({ GATEWAY_DATABASE_URL: 'postgres://packets_app:pw@db/packets' })).toEqual({
      anonPoints: 5000, credentialPoints: 30000, orgPoints: 100000, windowSeconds: 60, keyPrefix: 'edge',
      redisUrl: null, databaseUrl: 'postgres://packets_app:pw@db/packets',
    });
  });

  it('keeps counter keys apart by RATE_LIMIT_KEY_PREFIX, and refuses a prefix that could collide or inject', () => {
    expect(loadRateLimit({ REDIS_URL: 'redis://cache:6379', RATE_LIMIT_KEY_PREFIX: 'staging-2' })).toMatchObject({ keyPrefix: 'staging-2' });
    expect(() => loadRateLimit({ REDIS_URL: 'redis://cache:6379', RATE_LIMIT_KEY_PREFIX: 'a:b' })).toThrowError(/RATE_LIMIT_KEY_PREFIX/);
  });

  it('needs a store: GATEWAY_DATABASE_URL, or REDIS_URL', () => {
    expect(() => loadRateLimit({})).toThrowError(/GATEWAY_DATABASE_URL is required but not set/);
    expect(loadRateLimit({ REDIS_URL: 'redis://cache:6379' })).toMatchObject({ redisUrl: 'redis://cache:6379' });
  });

  it('is on unless RATE_LIMIT_ENABLED=false, and refuses bad values', () => {
    expect(loadRateLimit({ RATE_LIMIT_ENABLED: 'false' })).toBeNull();
    const bad = () => loadRateLimit({ GATEWAY_DATABASE_URL: 'mysql://x', RATE_LIMIT_ORG_POINTS: '0', RATE_LIMIT_WINDOW_SECONDS: '1.5' });
    expect(bad).toThrowError(/config: GATEWAY_DATABASE_URL is invalid: must be a postgres:\/\/ URL/);
    expect(bad).toThrowError(/config: RATE_LIMIT_WINDOW_SECONDS is invalid: must be a positive integer/);
    expect(bad).toThrowError(/config: RATE_LIMIT_ORG_POINTS is invalid: must be a positive integer/);
  });
});
