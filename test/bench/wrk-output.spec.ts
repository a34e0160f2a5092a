/** bench/wrk.ts reads wrk's report: requests per second, the 99th percentile in any unit, and errors. */
import { parseWrkOutput } from '../../bench/wrk.js';

const REPORT = `Running 3s test @ http://127.0.0.1:41000/read
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   512.31us  120.02us   4.21ms   91.02%
    Req/Sec    31.02k     1.20k   33.10k    80.00%
  Latency Distribution
     50%  490.00us
     75%  540.00us
     90%  610.00us
     99%    1.21ms
  92613 requests in 3.00s, 17.31MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:  30871.24
Transfer/sec:      5.77MB
`;

describe('parseWrkOutput', () => {
  it('reads requests per second, p99 in milliseconds, and non-2xx responses plus socket errors', () => {
    expect(parseWrkOutput(REPORT)).toEqual({ rps: 30871.24, p99Ms: 1.21, errors: 7 });
  });

  it('converts microseconds and seconds', () => {
    expect(parseWrkOutput(REPORT.replace('1.21ms', '830.50us')).p99Ms).toBeCloseTo(0.8305);
    expect(parseWrkOutput(REPORT.replace('1.21ms', '2.00s')).p99Ms).toBe(2000);
  });

  it('refuses a report without a rate (wrk failed to connect)', () => {
    expect(() => parseWrkOutput('unable to connect to 127.0.0.1:1 Connection refused\n')).toThrow(/Requests\/sec/);
  });
});
