/**
 * The one back-off: the delay before retry number `attempt` (1 = the first retry)
 * is baseMs doubled per earlier retry, capped at maxMs. With jitter the delay is
 * drawn uniformly from [delay/2, delay] ("equal jitter"), so replicas that failed
 * together do not retry together. Used by the job retries here and the outbox relay.
 */
export function backoff(attempt: number, opts: { baseMs: number; maxMs: number; jitter?: boolean; random?: () => number }): number {
  const n = Math.max(1, Math.floor(attempt));
  // 2 ** 52 already exceeds any sensible cap; keeps the arithmetic finite
  const delay = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.min(n - 1, 52));
  if (!opts.jitter) return delay;
  const random = opts.random ?? Math.random;
  return Math.round(delay / 2 + (delay / 2) * random());
}
