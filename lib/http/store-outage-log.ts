import type { LoggerService } from '@nestjs/common';

/** One outage report per this many milliseconds, whatever the number of failing requests. */
export const STORE_OUTAGE_LOG_INTERVAL_MS = 30_000;

/**
 * Logs session-store outages at a bounded rate: the first failure at once, then at most one line
 * per interval, saying how many requests failed in between. A request reports its outage once
 * (its context sees to that); this keeps thousands of requests during an outage from writing
 * thousands of stack traces.
 */
export class StoreOutageLog {
  private lastReport = Number.NEGATIVE_INFINITY;
  private suppressed = 0;

  constructor(
    private readonly logger: LoggerService,
    private readonly intervalMs = STORE_OUTAGE_LOG_INTERVAL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  report(message: string): void {
    const now = this.now();
    if (now - this.lastReport < this.intervalMs) {
      this.suppressed++;
      return;
    }
    const since =
      this.suppressed > 0
        ? ` (${this.suppressed} more request${this.suppressed === 1 ? '' : 's'} failed on the session store since the last report)`
        : '';
    this.lastReport = now;
    this.suppressed = 0;
    this.logger.error(
      `${message}${since}. Further outages are logged at most once every ${Math.round(this.intervalMs / 1000)} s.`,
    );
  }
}

const logs = new WeakMap<object, StoreOutageLog>();

/** The outage log shared by every request of one session interface (one app). */
export function storeOutageLogFor(owner: object, logger: LoggerService): StoreOutageLog {
  let log = logs.get(owner);
  if (!log) {
    log = new StoreOutageLog(logger);
    logs.set(owner, log);
  }
  return log;
}
