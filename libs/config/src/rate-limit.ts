// The gateway's request rate limits (issue 17). Points are query cost (graphql-armor's
// weights, 1 at least) per window; counted in PostgreSQL (GATEWAY_DATABASE_URL) or, when
// REDIS_URL is set, in Redis, so every replica shares the counts.
import { bool, cleanEnv, makeValidator, str, EnvError } from 'envalid';
import { ConfigError, reporter } from './index';

export interface RateLimitSettings {
  /** points per window for one client IP (anonymous calls) */
  anonPoints: number;
  /** points per window for one session or API key */
  credentialPoints: number;
  /** points per window for one organisation, all its credentials together */
  orgPoints: number;
  windowSeconds: number;
  /** prefix of every counter key: deployments (or test runs) sharing one store keep apart */
  keyPrefix: string;
  /** counts in Redis when set, else in PostgreSQL at databaseUrl */
  redisUrl: string | null;
  databaseUrl: string | null;
}

type Env = Record<string, string | undefined>;

const positiveInt = makeValidator<number>((value) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new EnvError('must be a positive integer');
  return n;
});
const optionalPostgresUrl = makeValidator<string>((value) => {
  if (value === '') return value;
  let u: URL;
  try { u = new URL(value); } catch { throw new EnvError('not a URL'); }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') throw new EnvError('must be a postgres:// URL');
  return value;
});

/** The limits, or null when RATE_LIMIT_ENABLED=false (benchmarks only). */
export function loadRateLimit(env: Env): RateLimitSettings | null {
  const c = cleanEnv(env, {
    RATE_LIMIT_ENABLED: bool({ default: true, desc: 'false turns the gateway limiter off (benchmarks only)' }),
    RATE_LIMIT_WINDOW_SECONDS: positiveInt({ default: 60 }),
    RATE_LIMIT_ANON_POINTS: positiveInt({ default: 5000 }),
    RATE_LIMIT_CREDENTIAL_POINTS: positiveInt({ default: 30000 }),
    RATE_LIMIT_ORG_POINTS: positiveInt({ default: 100000 }),
    GATEWAY_DATABASE_URL: optionalPostgresUrl({ default: '', desc: 'the rate-limit counters (identity.rate_limits), as the packets_app role' }),
    REDIS_URL: str({ default: '' }),
    RATE_LIMIT_KEY_PREFIX: str({ default: 'edge', desc: 'prefix of the counter keys; distinct deployments sharing one store use distinct prefixes' }),
  }, { reporter });
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(c.RATE_LIMIT_KEY_PREFIX)) throw new ConfigError('config: RATE_LIMIT_KEY_PREFIX must be 1 to 64 letters, digits, - or _');
  if (!c.RATE_LIMIT_ENABLED) return null;
  if (!c.REDIS_URL && !c.GATEWAY_DATABASE_URL) {
    throw new ConfigError('config: GATEWAY_DATABASE_URL is required but not set (the rate-limit counters; or set REDIS_URL, or RATE_LIMIT_ENABLED=false for benchmarks only)');
  }
  return {
    anonPoints: c.RATE_LIMIT_ANON_POINTS,
    credentialPoints: c.RATE_LIMIT_CREDENTIAL_POINTS,
    orgPoints: c.RATE_LIMIT_ORG_POINTS,
    windowSeconds: c.RATE_LIMIT_WINDOW_SECONDS,
    keyPrefix: c.RATE_LIMIT_KEY_PREFIX,
    redisUrl: c.REDIS_URL || null,
    databaseUrl: c.GATEWAY_DATABASE_URL || null,
  };
}
