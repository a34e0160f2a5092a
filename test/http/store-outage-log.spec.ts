/**
 * The session-store outage log: the first failure at once, then at most one line per interval,
 * counting the requests that failed in between.
 */
import { StoreOutageLog } from '../../lib/http/store-outage-log.js';

describe('StoreOutageLog', () => {
  it('logs the first outage, counts the next ones, and reports the count with the next line after the interval', () => {
    let now = 1_000_000;
    const lines: string[] = [];
    const log = new StoreOutageLog(
      { error: (message: string) => lines.push(message), log: () => undefined, warn: () => undefined },
      30_000,
      () => now,
    );
    log.report('Redis down (1)');
    for (let i = 0; i < 4; i++) {
      now += 5_000;
      log.report('Redis down (more)');
    }
    expect(lines).toEqual([
      expect.stringMatching(/^Redis down \(1\)\. Further outages are logged at most once every 30 s\.$/),
    ]);
    now += 15_000;
    log.report('Redis down (later)');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      /^Redis down \(later\) \(4 more requests failed on the session store since the last report\)/,
    );
    now += 60_000;
    log.report('Redis down (again)');
    expect(lines[2]).toMatch(/^Redis down \(again\)\. Further/);
  });
});
