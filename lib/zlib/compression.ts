import zlibDeflate from 'pako/lib/zlib/deflate.js';
import zlibInflate from 'pako/lib/zlib/inflate.js';
import ZStream, { type DeflateState, type InflateState } from 'pako/lib/zlib/zstream.js';

const Z_NO_FLUSH = 0;
const Z_OK = 0;
const Z_STREAM_END = 1;
const Z_FINISH = 4;
const Z_BUF_ERROR = -5;
const Z_DEFLATED = 8;
const MIN_MATCH = 3;

/**
 * zlib (RFC 1950) at level 6 through pako 2's deflate with the classic zlib hash, whose output
 * equals CPython's `zlib.compress` byte for byte (Node's bundled zlib, Chromium's fork, writes
 * different, equally valid bytes).
 *
 * Speed, measured on a ~110-byte session: `pako.deflate()` allocates its whole state (~256 KB)
 * per call (~12k ops/s); one stream reset with `deflateReset` (~26k ops/s) still clears the
 * 32K-entry hash head in a JavaScript loop; {@link ReusableDeflater.reset} does what
 * `deflateReset` does (~90k ops/s); after each deflate it clears only the head entries the
 * input can have set instead of all 64 KB, which also keeps the cache warm for the rest of the
 * request. It relies on pako 2.2.0's state fields (the version is pinned); a test checks its
 * bytes against `pako.deflate` call after call.
 */
class ReusableDeflater {
  private readonly stream = new ZStream();
  private output = new Uint8Array(16 * 1024);
  private readonly matchConfig: Pick<DeflateState, 'max_lazy_match' | 'good_match' | 'nice_match' | 'max_chain_length'>;
  /** Set while a deflate runs: if it throws, which head entries it set is unknown, so the next reset clears all. */
  private headDirty = false;

  /** `windowBits` 15 writes zlib (RFC 1950); -15 raw deflate (RFC 1951), with no header or checksum. */
  constructor(windowBits: 15 | -15) {
    // pako.deflate's defaults: level -1 (6), memLevel 8, default strategy, legacy hash.
    const status = zlibDeflate.deflateInit2(this.stream, -1, Z_DEFLATED, windowBits, 8, 0, true);
    if (status !== Z_OK) throw new Error(`deflateInit2 failed (${status})`);
    // deflateInit2 ran zlib's lm_init: keep the level's match parameters it chose.
    const { max_lazy_match, good_match, nice_match, max_chain_length } = this.stream.state!;
    this.matchConfig = { max_lazy_match, good_match, nice_match, max_chain_length };
  }

  /** pako's `deflateReset`: `deflateResetKeep` then zlib's `lm_init`; the hash head is already clear ({@link clearHead}). */
  private reset(): void {
    zlibDeflate.deflateResetKeep(this.stream);
    const state = this.stream.state!;
    state.window_size = 2 * state.w_size;
    if (this.headDirty) state.head.fill(0);
    this.headDirty = false;
    Object.assign(state, this.matchConfig);
    state.strstart = 0;
    state.block_start = 0;
    state.lookahead = 0;
    state.insert = 0;
    state.match_length = state.prev_length = MIN_MATCH - 1;
    state.match_available = 0;
    state.ins_h = 0;
  }

  /**
   * zlib inserts, for every input position followed by at least two more bytes, the position
   * into `head[hash]`, hash being `((b0 << 2·shift) ^ (b1 << shift) ^ b2) & mask` (the legacy
   * rolling hash after three updates). Entries never set are still 0, so zeroing exactly those
   * hashes restores the all-zero head that `deflateReset` leaves.
   */
  private clearHead(input: Uint8Array): void {
    const state = this.stream.state!;
    const head = state.head;
    if (input.length >= head.length) {
      head.fill(0);
      return;
    }
    const shift = state.hash_shift;
    const mask = state.hash_mask;
    for (let i = 0; i + 2 < input.length; i += 1)
      head[((input[i]! << (2 * shift)) ^ (input[i + 1]! << shift) ^ input[i + 2]!) & mask] = 0;
  }

  deflate(input: Uint8Array): Buffer {
    const stream = this.stream;
    this.reset();
    // Deflate's worst case is the input plus a few bytes per 16 KB block and the zlib framing.
    const bound = input.length + (input.length >> 12) + 64;
    if (this.output.length < bound) this.output = new Uint8Array(bound);
    stream.input = input;
    stream.next_in = 0;
    stream.avail_in = input.length;
    stream.output = this.output;
    stream.next_out = 0;
    stream.avail_out = this.output.length;
    this.headDirty = true;
    const status = zlibDeflate.deflate(stream, Z_FINISH);
    stream.input = null;
    // The input is the caller's and may change later: clear its head entries now, while it is as deflated.
    this.clearHead(input);
    this.headDirty = false;
    if (status !== Z_STREAM_END) throw new Error(`deflate failed (${status})`);
    return Buffer.from(this.output.subarray(0, stream.next_out));
  }
}

const deflater = new ReusableDeflater(15);
const rawDeflater = new ReusableDeflater(-15);

/** `zlib.compress(data)` at level 6, byte for byte as CPython with canonical zlib writes it. */
export function deflate(data: Uint8Array): Buffer {
  return deflater.deflate(data);
}

/**
 * Raw deflate (RFC 1951) at level 6: {@link deflate} without zlib's 2-byte header and 4-byte
 * Adler-32, for formats that authenticate their bytes by other means (encrypted cookies).
 */
export function deflateRaw(data: Uint8Array): Buffer {
  return rawDeflater.deflate(data);
}

/** The decompressed data would be larger than the cap given to {@link inflate}. */
export class InflateLimitExceeded extends RangeError {
  override name = 'InflateLimitExceeded';
  constructor(
    readonly maxOutputLength: number,
    cause: unknown = null,
  ) {
    super(`Decompressed data exceeds ${maxOutputLength} bytes`, cause === null ? undefined : { cause });
  }
}

/**
 * A zlib stream that is not valid: bad header, data or checksum (`code` `Z_DATA_ERROR`, zlib's
 * name), or cut short (`Z_BUF_ERROR`).
 */
export class InflateError extends Error {
  override name = 'InflateError';
  constructor(
    message: string,
    readonly code: 'Z_DATA_ERROR' | 'Z_BUF_ERROR',
  ) {
    super(message);
  }
}

/**
 * One pako inflate stream, reset for every call instead of created: Node's `inflateSync` builds
 * and tears down a native zlib stream per call, which costs more than inflating a session.
 * Output is produced in 16 KB chunks, so a bomb stops at the cap without being inflated further.
 * {@link reset} is pako's `inflateReset` without its two table allocations per call (the dynamic
 * Huffman tables are rebuilt by every dynamic block anyway); like the deflater, it relies on
 * pako 2.2.0's state fields, and a test inflates call after call across errors and bombs.
 */
class ReusableInflater {
  private readonly stream = new ZStream();
  private readonly chunk = new Uint8Array(16 * 1024);
  private readonly headMode: number;
  private readonly lengthTable: Int32Array;
  private readonly distanceTable: Int32Array;

  /** `windowBits` 15: a zlib (RFC 1950) wrapper, as Python's zlib.decompress expects by default; -15: raw deflate. */
  constructor(windowBits: 15 | -15) {
    const status = zlibInflate.inflateInit2(this.stream, windowBits);
    if (status !== Z_OK) throw new Error(`inflateInit2 failed (${status})`);
    const state = this.state;
    // inflateInit2 ran inflateReset: its mode is zlib's HEAD, and its tables are the ones to keep.
    this.headMode = state.mode;
    this.lengthTable = state.lendyn!;
    this.distanceTable = state.distdyn!;
  }

  private get state(): InflateState {
    return this.stream.state as unknown as InflateState;
  }

  private reset(): void {
    const stream = this.stream;
    const state = this.state;
    state.wsize = state.whave = state.wnext = 0;
    stream.total_in = stream.total_out = state.total = 0;
    stream.msg = '';
    if (state.wrap) stream.adler = state.wrap & 1;
    state.mode = this.headMode;
    state.last = 0;
    state.havedict = 0;
    state.flags = -1;
    state.dmax = 32768;
    state.head = null;
    state.hold = 0;
    state.bits = 0;
    state.lencode = state.lendyn = this.lengthTable;
    state.distcode = state.distdyn = this.distanceTable;
    state.sane = 1;
    state.back = -1;
  }

  inflate(data: Uint8Array, maxOutputLength: number): Buffer {
    const stream = this.stream;
    this.reset();
    stream.input = data;
    stream.next_in = 0;
    stream.avail_in = data.length;
    let parts: Buffer[] | null = null;
    let first: Buffer | null = null;
    let total = 0;
    try {
      for (;;) {
        stream.output = this.chunk;
        stream.next_out = 0;
        stream.avail_out = this.chunk.length;
        const status = zlibInflate.inflate(stream, Z_NO_FLUSH);
        const produced = stream.next_out;
        total += produced;
        if (total > maxOutputLength) throw new InflateLimitExceeded(maxOutputLength, null);
        if (produced > 0) {
          const part = Buffer.from(this.chunk.subarray(0, produced));
          if (first === null) first = part;
          else (parts ??= [first]).push(part);
        }
        // Bytes after the end of the zlib stream are ignored, as Python's zlib.decompress ignores them.
        if (status === Z_STREAM_END) break;
        if (status === Z_BUF_ERROR) throw new InflateError('incomplete or truncated stream', 'Z_BUF_ERROR');
        if (status !== Z_OK) throw new InflateError(stream.msg || `inflate failed (${status})`, 'Z_DATA_ERROR');
        if (stream.avail_in === 0 && stream.avail_out > 0)
          throw new InflateError('incomplete or truncated stream', 'Z_BUF_ERROR');
      }
    } finally {
      stream.input = null;
      stream.output = null;
    }
    if (parts) return Buffer.concat(parts, total);
    return first ?? Buffer.alloc(0);
  }
}

const inflater = new ReusableInflater(15);
const rawInflater = new ReusableInflater(-15);

/**
 * Inflates a zlib stream, refusing to produce more than `maxOutputLength` bytes: a few KB of
 * cookie can otherwise inflate into gigabytes. Bytes after the end of the zlib stream are
 * ignored, as Python's `zlib.decompress` ignores them; a truncated stream or a bad checksum
 * throws.
 *
 * @throws {@link InflateLimitExceeded} when the output would exceed `maxOutputLength`;
 * {@link InflateError} when the data is not a valid zlib stream.
 */
export function inflate(data: Uint8Array, maxOutputLength: number): Buffer {
  return inflater.inflate(data, maxOutputLength);
}

/**
 * Inflates raw deflate data (RFC 1951, as {@link deflateRaw} writes it) under the same cap and
 * rules as {@link inflate}. Raw deflate has no checksum: use it only on authenticated bytes.
 *
 * @throws {@link InflateLimitExceeded} when the output would exceed `maxOutputLength`;
 * {@link InflateError} when the data is not a valid deflate stream.
 */
export function inflateRaw(data: Uint8Array, maxOutputLength: number): Buffer {
  return rawInflater.inflate(data, maxOutputLength);
}
