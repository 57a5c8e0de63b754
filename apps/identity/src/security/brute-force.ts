// Brute-force protection (ID-9, OWASP ASVS 2.2.1) with rate-limiter-flexible:
// attempts counted per account and per IP in PostgreSQL, or in Redis when
// REDIS_URL is set, so every replica shares the counts.
// - per account: 5 failures free, then a block that doubles with each further
//   failure (30 s, 60 s, 120 s ... capped at 1 h), and never more than 100 failures
//   an hour;
// - per IP: 50 failures in 15 minutes, then 15 minutes blocked.
//
// Consume first, then work: `attempt` takes a point atomically (an upsert in
// PostgreSQL, a Lua script in Redis) *before* the caller spends bcrypt or TOTP work
// on it, so concurrent attempts cannot all pass a check made before any of them
// failed. Past the free failures, an attempt must also claim the account's single
// slot for the current block window (an atomic increment: the first claimer gets
// 1, every concurrent one more), so at most one attempt per window is evaluated.
// A success gives the points back; a refused attempt gives its own point back, so
// waiting out a block is not made longer by the attempts it refused.
import type { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import type { LimiterStore } from '@packets/rate-limit';
import { appError, ErrorCode } from '@packets/graphql';

const FREE_FAILURES = 5;
const HOURLY_CAP = 100;
const IP_FAILURES = 50;
const MAX_BLOCK_SECONDS = 3600;

/** The seconds an account is blocked for after its n-th failure (0 while free). */
export function blockSecondsAfter(failures: number): number {
  const over = failures - FREE_FAILURES;
  return over <= 0 ? 0 : Math.min(30 * 2 ** (over - 1), MAX_BLOCK_SECONDS);
}

/** One admitted attempt: report how it ended, exactly once. */
export interface Attempt {
  /** the attempt was wrong: its point stays; returns the seconds the account is now blocked for (0 if not) */
  failed: () => Promise<number>;
  /** the attempt was right: the account's count and block are cleared, the IP's point is given back */
  succeeded: () => Promise<void>;
}

function rateLimited(seconds: number): Error {
  const s = Math.max(1, seconds);
  return appError(ErrorCode.RATE_LIMITED, `Too many failed attempts; try again in ${s} s`, { retryAfter: s });
}

const secondsOf = (res: RateLimiterRes) => Math.ceil(res.msBeforeNext / 1000);

export class BruteForceGuard {
  private readonly account: RateLimiterAbstract;
  private readonly ip: RateLimiterAbstract;
  /** the account's block window: one attempt may claim it (points 1), its length set by the claimer */
  private readonly window: RateLimiterAbstract;

  constructor(private readonly store: LimiterStore, scope: string) {
    this.account = store.make(`${scope}:acct`, HOURLY_CAP, 3600);
    this.ip = store.make(`${scope}:ip`, IP_FAILURES, 900);
    this.window = store.make(`${scope}:window`, 1, 30);
  }

  /**
   * Takes a point from the account and the IP before any work is done; throws
   * RATE_LIMITED (and takes nothing) when either is blocked. The caller must report
   * the outcome through the returned Attempt.
   */
  async attempt(accountKey: string, ip: string | null): Promise<Attempt> {
    const [acct, byIp] = await Promise.all([
      this.account.penalty(accountKey, 1),
      ip ? this.ip.penalty(ip, 1) : Promise.resolve(null),
    ]);
    const giveBack = () => Promise.all([
      this.account.reward(accountKey, 1),
      ip ? this.ip.reward(ip, 1) : Promise.resolve(null),
    ]);
    if (acct.consumedPoints > HOURLY_CAP) {
      await giveBack();
      throw rateLimited(secondsOf(acct));
    }
    if (byIp && byIp.consumedPoints > IP_FAILURES) {
      await giveBack();
      throw rateLimited(secondsOf(byIp));
    }
    if (acct.consumedPoints > FREE_FAILURES) {
      // this attempt would be failure number n: it needs the window that failure n-1 opened to be over, and
      // claims the next one (as long as the block failure n would start), atomically against concurrent attempts
      const claim = await this.window.penalty(accountKey, 1, { customDuration: blockSecondsAfter(acct.consumedPoints) });
      if (claim.consumedPoints > 1) {
        await giveBack();
        throw rateLimited(secondsOf(claim));
      }
    }
    let reported = false;
    const once = () => {
      if (reported) throw new Error('a brute-force attempt is reported once');
      reported = true;
    };
    return {
      failed: () => {
        once();
        return Promise.resolve(blockSecondsAfter(acct.consumedPoints));
      },
      succeeded: async () => {
        once();
        await Promise.all([
          this.account.delete(accountKey),
          this.window.delete(accountKey),
          ip ? this.ip.reward(ip, 1) : Promise.resolve(null),
        ]);
      },
    };
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
