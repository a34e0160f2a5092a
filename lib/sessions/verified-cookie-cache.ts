import type { TextSerializer } from '../itsdangerous/index.js';

/** Default memory budget of a {@link VerifiedCookieCache}: 1 MiB, about 1,300 login-sized sessions. */
export const DEFAULT_VERIFIED_CACHE_BYTES = 1024 * 1024;

/**
 * What one entry costs besides its two strings: the Map slot, the entry object and two string
 * headers, rounded up. Strings are counted at two bytes a character (V8 stores ASCII in one), so
 * the estimate errs on the high side.
 */
const ENTRY_OVERHEAD_BYTES = 160;

/** Lookups per period; each period's hit rate decides how the next one admits values. */
const ADMISSION_PERIOD = 1024;
/** A period with fewer hits than this (a quarter of its lookups) means the cache is churning. */
const CHURNING_HITS = ADMISSION_PERIOD / 4;
/** While churning, one value in this many is admitted. */
const CHURNING_ADMISSION = 16;

/** `lookup()`'s answer for a cookie that verified once but is now older than `maxAge` (or from the future). */
export const EXPIRED = Symbol('expired');

/** Counters of every cache an interface owns, for monitoring and the benchmark's hit rate. */
export interface VerifiedCacheStats {
  /** Cookies opened from the cache (age re-checked, payload parsed, nothing verified or inflated). */
  hits: number;
  /** Cookies that went through verification (not cached, or evicted). */
  misses: number;
}

/** What a hit gives: the verified payload, as text and, once a request parsed it, parsed. */
export interface CachedPayload {
  /** The verified payload text, exactly what the serializer's `loads` receives. */
  readonly text: string;
  /**
   * The text as the JSON layer parsed it, kept by {@link VerifiedCookieCache.keepParsed} after the
   * first hit: never handed out, only copied. Undefined until then.
   */
  readonly parsed?: unknown;
}

interface Entry extends CachedPayload {
  /** The cookie value (the Map's key), for eviction in insertion order. */
  readonly value: string;
  /** When the cookie was signed or sealed, in Unix seconds (the signed timestamp itself). */
  readonly issuedAt: number;
  parsed?: unknown;
  bytes: number;
}

/** Throws unless `bytes` is a valid budget (a non-negative safe integer; 0 is off). */
export function checkVerifiedCacheBytes(bytes: number): number {
  if (!Number.isSafeInteger(bytes) || bytes < 0) {
    throw new RangeError(`verifiedCacheBytes must be a number of bytes (0 turns the cache off), got ${bytes}`);
  }
  return bytes;
}

/**
 * Cookie values the interface has verified (or made itself), each with its payload text and the
 * time it was signed: a request that sends the same value again skips the signature check,
 * base64 and inflate, and parses the text into fresh objects, so no two requests share one.
 *
 * Keyed by the exact cookie value: a value is only ever stored after it verified under the keys
 * this cache belongs to (one cache per key set, dropped when the keys change), so an altered
 * value is another key and goes through verification. Every lookup checks the age again, with
 * itsdangerous' rule (`0 <= now - issuedAt <= maxAge`). The oldest entries are dropped first
 * once the estimated size would pass `maxBytes`; an entry bigger than an eighth of the budget is
 * not kept at all.
 */
export class VerifiedCookieCache {
  private readonly entries = new Map<string, Entry>();
  /**
   * Entries in insertion order, for eviction; replaced or dropped ones stay until passed. (Taking
   * the oldest from the Map itself, `keys().next()`, skips every slot deleted since the Map was
   * last rehashed: that costs microseconds per eviction once a full cache turns over.)
   */
  private queue: Entry[] = [];
  private head = 0;
  private used = 0;
  private readonly maxEntryBytes: number;
  private periodLookups = 0;
  private periodHits = 0;
  private churning = false;

  /** @param random the admission draw while churning ({@link admits}); tests pass their own. */
  constructor(
    readonly maxBytes: number,
    private readonly random: () => number = Math.random,
  ) {
    this.maxEntryBytes = Math.floor(maxBytes / 8);
  }

  /** Entries held. */
  get size(): number {
    return this.entries.size;
  }

  /** The estimated bytes held, never more than `maxBytes`. */
  get bytes(): number {
    return this.used;
  }

  /**
   * The payload text of a cached value that is still within `maxAge` seconds of its signing;
   * {@link EXPIRED} (and the entry is dropped) when it no longer is; undefined when not cached.
   */
  lookup(value: string, maxAge: number, now: number): string | typeof EXPIRED | undefined {
    const payload = this.find(value, maxAge, now);
    return typeof payload === 'object' ? payload.text : payload;
  }

  /** {@link lookup}, giving the whole cached payload. */
  find(value: string, maxAge: number, now: number): CachedPayload | typeof EXPIRED | undefined {
    const entry = this.entries.get(value);
    if (entry === undefined) {
      this.count(false);
      return undefined;
    }
    const age = now - entry.issuedAt;
    if (age > maxAge || age < 0) {
      this.forget(value);
      this.count(false);
      return EXPIRED;
    }
    this.count(true);
    return entry;
  }

  /**
   * Keeps the parsed form of a payload {@link find} gave, so later hits copy it instead of
   * parsing the text. It is counted against the budget like the text (two bytes a character),
   * and only entries that were hit carry one.
   */
  keepParsed(payload: CachedPayload, parsed: unknown): void {
    const entry = payload as Entry;
    if (entry.parsed !== undefined || this.entries.get(entry.value) !== entry) return;
    entry.parsed = parsed;
    const extra = 2 * entry.text.length;
    entry.bytes += extra;
    this.used += extra;
    this.evictToBudget();
  }

  /**
   * Whether to keep the next verified value ({@link remember}): always, unless the last period
   * of lookups hit less than a quarter of the time (more distinct cookies than the cache holds),
   * when one value in sixteen, drawn at random, is kept. Admitting every value then would only turn the cache over
   * (each entry retained, promoted and evicted unread), costing more than its few hits save;
   * sampled entries live sixteen times longer, so the hit rate a cache that size can reach stays.
   */
  admits(): boolean {
    // Drawn at random: a counter would alias with a request pattern (a request that verifies one
    // value and makes another would always admit the same one of the two).
    return !this.churning || this.random() < 1 / CHURNING_ADMISSION;
  }

  /** True while the last period's hit rate was low enough that {@link admits} samples. */
  get isChurning(): boolean {
    return this.churning;
  }

  private count(hit: boolean): void {
    if (hit) this.periodHits += 1;
    if (++this.periodLookups < ADMISSION_PERIOD) return;
    this.churning = this.periodHits < CHURNING_HITS;
    this.periodLookups = 0;
    this.periodHits = 0;
  }

  /** The payload text of a cached value, whatever its age (for a look at the data, never to open it). */
  peek(value: string): string | undefined {
    return this.entries.get(value)?.text;
  }

  /** Keeps a verified value; evicts the oldest entries to stay within the budget. */
  remember(value: string, text: string, issuedAt: number): void {
    const bytes = 2 * (value.length + text.length) + ENTRY_OVERHEAD_BYTES;
    if (bytes > this.maxEntryBytes) return;
    this.forget(value);
    this.used += bytes;
    this.evictToBudget();
    const entry: Entry = { value, text, issuedAt, bytes, parsed: undefined };
    this.entries.set(value, entry);
    this.queue.push(entry);
    // Drop what eviction passed, and stale entries once they outnumber the live ones.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    if (this.queue.length - this.head > 2 * this.entries.size + 1024) {
      this.queue = this.queue.slice(this.head).filter((queued) => this.entries.get(queued.value) === queued);
      this.head = 0;
    }
  }

  /** Drops the oldest entries until the estimate is within the budget. */
  private evictToBudget(): void {
    while (this.used > this.maxBytes && this.head < this.queue.length) {
      const oldest = this.queue[this.head++]!;
      if (this.entries.get(oldest.value) === oldest) this.forget(oldest.value);
    }
  }

  forget(value: string): void {
    const entry = this.entries.get(value);
    if (entry === undefined) return;
    this.entries.delete(value);
    this.used -= entry.bytes;
  }
}

/**
 * A serializer that remembers the last text it read or wrote, so an interface learns the payload
 * text of a cookie while the signing serializer verifies or makes it. Synchronous: the text read
 * right after a call is that call's.
 */
export class TextRecorder implements TextSerializer {
  /** The text of the last `loads`/`dumps`, or undefined after {@link reset}. */
  lastText: string | undefined;

  constructor(readonly inner: TextSerializer) {}

  dumps(value: unknown, options?: unknown): string {
    const text = this.inner.dumps(value, options);
    this.lastText = text;
    return text;
  }

  loads(text: string): unknown {
    this.lastText = text;
    return this.inner.loads(text);
  }

  reset(): void {
    this.lastText = undefined;
  }
}

/**
 * Whether a payload's text may hold a `_permanent` key: false only when the name appears nowhere
 * and no `\u` escape could spell it.
 */
export function mayHoldPermanentKey(text: string): boolean {
  return text.includes('_permanent') || text.includes('\\u');
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether `text` survives UTF-8 encoding unchanged (no lone surrogates), as a cookie's payload must. */
export function roundTripsThroughUtf8(text: string, maxBytes: number): boolean {
  if (LONE_SURROGATE.test(text)) return false;
  return text.length * 3 <= maxBytes || Buffer.byteLength(text, 'utf8') <= maxBytes;
}
