// Where rate-limiter-flexible keeps its counters, for every limiter of the platform
// (identity's brute-force guard, the gateway's request limits): the shared
// identity.rate_limits table in PostgreSQL, or Redis when configured, so that
// replicas share the counts. Each limiter keeps its own key prefix.
import { Pool } from 'pg';
import Redis from 'ioredis';
import { RateLimiterPostgres, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface LimiterStore {
  make: (keyPrefix: string, points: number, duration: number) => RateLimiterAbstract;
  close: () => Promise<void>;
}

export interface PostgresStoreOptions {
  /** connections of this store's own pool */
  poolMax: number;
  /** let rate-limiter-flexible delete expired rows on a timer (one store per table should) */
  clearExpired: boolean;
}

export function postgresStore(databaseUrl: string, opts: PostgresStoreOptions): LimiterStore {
  const pool = new Pool({ connectionString: databaseUrl, max: opts.poolMax });
  pool.on('error', () => undefined);
  return {
    make: (keyPrefix, points, duration) => new RateLimiterPostgres({
      storeClient: pool, storeType: 'pool', schemaName: 'identity', tableName: 'rate_limits', tableCreated: true,
      keyPrefix, points, duration, clearExpiredByTimeout: opts.clearExpired,
    }),
    close: () => pool.end(),
  };
}

export function redisStore(url: string): LimiterStore {
  // the offline queue holds commands until the connection is up, so the first calls after a start do not fail
  const client = new Redis(url, { enableOfflineQueue: true, maxRetriesPerRequest: 2 });
  client.on('error', () => undefined);
  return {
    make: (keyPrefix, points, duration) => new RateLimiterRedis({ storeClient: client, keyPrefix, points, duration }),
    close: () => { client.disconnect(); return Promise.resolve(); },
  };
}
