export type BackoffOptions = {
  /** First delay, before jitter. */
  readonly baseMs: number;
  /** Ceiling of the exponential part. */
  readonly maxMs: number;
  /** Returns a number in [0, 1); injected so tests are reproducible. */
  readonly random?: () => number;
};

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 60_000 };

/**
 * Delay before retry number `attempt` (0 for the first retry): exponential growth capped
 * at maxMs, with "equal jitter" (half fixed, half random). The random half spreads the
 * workstations of a clinic that all lost the server at once, so they do not reconnect
 * in one burst; the fixed half keeps a floor so a retry never comes back immediately.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const random = options.random ?? Math.random;
  const exp = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(Math.max(0, attempt), 30));
  return Math.round(exp / 2 + random() * (exp / 2));
}

/** Consecutive failures of one kind of request, turned into the next delay. */
export type Backoff = {
  /** Records a failure and returns the delay to wait before the next attempt. */
  fail(): number;
  succeed(): void;
  readonly failures: number;
};

export function createBackoff(options: BackoffOptions = DEFAULT_BACKOFF): Backoff {
  let failures = 0;
  return {
    fail: () => backoffDelay(failures++, options),
    succeed: () => {
      failures = 0;
    },
    get failures() {
      return failures;
    },
  };
}
