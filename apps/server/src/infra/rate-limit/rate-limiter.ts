export interface RateLimitRule {
  /** Distinguishes rules sharing one store, e.g. "login-fail". */
  name: string;
  points: number;
  durationSeconds: number;
}

export type RateLimitResult = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };

/**
 * Fixed-window counters shared by every node (Redis) or kept in this process (embedded mode).
 * Port: the module picks the adapter from config once.
 */
export abstract class RateLimiter {
  /** Counts one hit against `key`; refuses once the rule's points are used up. */
  abstract consume(rule: RateLimitRule, key: string): Promise<RateLimitResult>;
  abstract reset(rule: RateLimitRule, key: string): Promise<void>;
}
