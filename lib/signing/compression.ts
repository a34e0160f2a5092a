import { inflateSync } from 'node:zlib';
import zlibDeflate from 'pako/lib/zlib/deflate.js';
import ZStream, { type DeflateState } from 'pako/lib/zlib/zstream.js';

const Z_OK = 0;
const Z_STREAM_END = 1;
const Z_FINISH = 4;
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

  constructor() {
    // pako.deflate's defaults: level -1 (6), windowBits 15, memLevel 8, default strategy, legacy hash.
    const status = zlibDeflate.deflateInit2(this.stream, -1, Z_DEFLATED, 15, 8, 0, true);
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
    for (let i = 0; i + 2 < input.length; i += 1) head[((input[i]! << (2 * shift)) ^ (input[i + 1]! << shift) ^ input[i + 2]!) & mask] = 0;
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

const deflater = new ReusableDeflater();

/** `zlib.compress(data)` at level 6, byte for byte as CPython with canonical zlib writes it. */
export function deflate(data: Uint8Array): Buffer {
  return deflater.deflate(data);
}

/** The decompressed data would be larger than the cap given to {@link inflate}. */
export class InflateLimitExceeded extends RangeError {
  override name = 'InflateLimitExceeded';
  constructor(
    readonly maxOutputLength: number,
    cause: unknown,
  ) {
    super(`Decompressed data exceeds ${maxOutputLength} bytes`, { cause });
  }
}

/**
 * Inflates a zlib stream, refusing to produce more than `maxOutputLength` bytes: a few KB of
 * cookie can otherwise inflate into gigabytes. Node's inflate stops at the cap instead of
 * allocating the whole output, and is about 3x faster than pako's inflate (measured on a 1.3 KB
 * session). Bytes after the end of the zlib stream are ignored, as Python's `zlib.decompress`
 * ignores them; a truncated stream or a bad checksum throws.
 *
 * @throws {@link InflateLimitExceeded} when the output would exceed `maxOutputLength`; node:zlib's
 * `Error` (with a `Z_*` code) when the data is not a valid zlib stream.
 */
export function inflate(data: Uint8Array, maxOutputLength: number): Buffer {
  try {
    return inflateSync(data, { maxOutputLength });
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === 'ERR_BUFFER_TOO_LARGE') {
      throw new InflateLimitExceeded(maxOutputLength, error);
    }
    throw error;
  }
}
