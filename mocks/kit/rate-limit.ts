/**
 * A per-tenant request quota over a sliding minute, for APIs whose real service limits callers
 * (Cloud Apps: 30 a minute). The control API switches it off for benchmarks and long runs.
 */
export class RateLimiter {
  private readonly windows = new Map<string, number[]>();

  constructor(public enabled: boolean) {}

  /** Counts a request of the tenant; the seconds to wait (for `Retry-After`) when over the quota, else undefined. */
  take(tenant: string, perMinute: number | undefined): number | undefined {
    if (!this.enabled || !perMinute) return undefined;
    const now = Date.now();
    const recent = (this.windows.get(tenant) ?? []).filter((t) => now - t < 60_000);
    if (recent.length >= perMinute) {
      this.windows.set(tenant, recent);
      return Math.max(1, Math.ceil((recent[0]! + 60_000 - now) / 1000));
    }
    recent.push(now);
    this.windows.set(tenant, recent);
    return undefined;
  }

  clear(): void {
    this.windows.clear();
  }
}
