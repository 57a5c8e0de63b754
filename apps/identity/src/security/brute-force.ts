// Brute-force protection (ID-9, OWASP ASVS 2.2.1) with rate-limiter-flexible:
// failures counted per account and per IP in PostgreSQL, or in Redis when
// REDIS_URL is set, so every replica shares the counts.
// - per account: 5 failures free, then a block that doubles with each further
//   failure (30 s, 60 s, 120 s ... capped at 1 h), and never more than 100 failures
//   an hour;
// - per IP: 50 failures in 15 minutes, then 15 minutes blocked.
import { Pool } from 'pg';
import Redis from 'ioredis';
import { RateLimiterPostgres, RateLimiterRedis, type RateLimiterAbstract, type RateLimiterRes } from 'rate-limiter-flexible';
import { appError, ErrorCode } from '@packets/graphql';

const FREE_FAILURES = 5;
const HOURLY_CAP = 100;
const IP_FAILURES = 50;

export interface GuardStore { close: () => Promise<void>; make: (keyPrefix: string, points: number, duration: number) => RateLimiterAbstract }

export function postgresStore(databaseUrl: string): GuardStore {
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  pool.on('error', () => undefined);
  return {
    make: (keyPrefix, points, duration) => new RateLimiterPostgres({
      storeClient: pool, storeType: 'pool', schemaName: 'identity', tableName: 'rate_limits', tableCreated: true,
      keyPrefix, points, duration, clearExpiredByTimeout: false,
    }),
    close: () => pool.end(),
  };
}

export function redisStore(url: string): GuardStore {
  // the offline queue holds commands until the connection is up, so the first sign-ins after a start do not fail
  const client = new Redis(url, { enableOfflineQueue: true, maxRetriesPerRequest: 2 });
  client.on('error', () => undefined);
  return {
    make: (keyPrefix, points, duration) => new RateLimiterRedis({ storeClient: client, keyPrefix, points, duration }),
    close: () => { client.disconnect(); return Promise.resolve(); },
  };
}

export class BruteForceGuard {
  private readonly account: RateLimiterAbstract;
  private readonly ip: RateLimiterAbstract;

  constructor(private readonly store: GuardStore, scope: string) {
    this.account = store.make(`${scope}:acct`, HOURLY_CAP, 3600);
    this.ip = store.make(`${scope}:ip`, IP_FAILURES, 900);
  }

  private static retryAfter(res: RateLimiterRes | null, points: number): number {
    if (!res || res.consumedPoints <= points) return 0;
    return Math.ceil(res.msBeforeNext / 1000);
  }

  /** Throws RATE_LIMITED while either the account or the IP is blocked. */
  async check(accountKey: string, ip: string | null): Promise<void> {
    const [acct, byIp] = await Promise.all([this.account.get(accountKey), ip ? this.ip.get(ip) : Promise.resolve(null)]);
    const blockedFor = Math.max(
      acct ? (acct.consumedPoints >= HOURLY_CAP ? Math.ceil(acct.msBeforeNext / 1000) : 0) : 0,
      await this.blockedSeconds(accountKey),
      BruteForceGuard.retryAfter(byIp, IP_FAILURES - 1),
    );
    if (blockedFor > 0) {
      throw appError(ErrorCode.RATE_LIMITED, `Too many failed attempts; try again in ${blockedFor} s`, { retryAfter: blockedFor });
    }
  }

  private async blockedSeconds(accountKey: string): Promise<number> {
    const block = await this.account.get(`block:${accountKey}`);
    return block ? Math.ceil(block.msBeforeNext / 1000) : 0;
  }

  /** Records a failure; returns the seconds the account is now blocked for (0 if not). */
  async fail(accountKey: string, ip: string | null): Promise<number> {
    const [acct] = await Promise.all([
      this.account.penalty(accountKey, 1),
      ip ? this.ip.penalty(ip, 1) : Promise.resolve(null),
    ]);
    const over = acct.consumedPoints - FREE_FAILURES;
    if (over <= 0) return 0;
    const seconds = Math.min(30 * 2 ** (over - 1), 3600);
    await this.account.block(`block:${accountKey}`, seconds);
    return seconds;
  }

  /** A success clears the account's count (not the IP's). */
  async succeed(accountKey: string): Promise<void> {
    await Promise.all([this.account.delete(accountKey), this.account.delete(`block:${accountKey}`)]);
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
