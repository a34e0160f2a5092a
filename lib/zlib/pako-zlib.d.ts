// Types for pako 2's zlib core (public subpaths in pako's exports map), used for one reusable stream.
declare module 'pako/lib/zlib/zstream.js' {
  class ZStream {
    input: Uint8Array | null;
    next_in: number;
    avail_in: number;
    output: Uint8Array | null;
    next_out: number;
    avail_out: number;
    msg: string;
    total_in: number;
    total_out: number;
    adler: number;
    state: DeflateState | null;
  }
  /** The fields of pako's inflate state that a reset touches (zlib's inflateResetKeep). */
  export interface InflateState {
    mode: number;
    wrap: number;
    wsize: number;
    whave: number;
    wnext: number;
    total: number;
    last: number;
    havedict: number;
    flags: number;
    dmax: number;
    head: unknown;
    hold: number;
    bits: number;
    lencode: Int32Array | null;
    lendyn: Int32Array | null;
    distcode: Int32Array | null;
    distdyn: Int32Array | null;
    sane: number;
    back: number;
  }
  /** The fields of pako's deflate state that a reset touches (zlib's lm_init). */
  export interface DeflateState {
    w_size: number;
    window_size: number;
    head: Uint16Array;
    hash_shift: number;
    hash_mask: number;
    max_lazy_match: number;
    good_match: number;
    nice_match: number;
    max_chain_length: number;
    strstart: number;
    block_start: number;
    lookahead: number;
    insert: number;
    match_length: number;
    prev_length: number;
    match_available: number;
    ins_h: number;
  }
  export default ZStream;
}

declare module 'pako/lib/zlib/deflate.js' {
  import type ZStream from 'pako/lib/zlib/zstream.js';
  const zlibDeflate: {
    deflateInit2(
      strm: ZStream,
      level: number,
      method: number,
      windowBits: number,
      memLevel: number,
      strategy: number,
      legacyHash: boolean,
    ): number;
    deflateReset(strm: ZStream): number;
    deflateResetKeep(strm: ZStream): number;
    deflate(strm: ZStream, flush: number): number;
  };
  export default zlibDeflate;
}

declare module 'pako/lib/zlib/inflate.js' {
  import type ZStream from 'pako/lib/zlib/zstream.js';
  const zlibInflate: {
    inflateInit2(strm: ZStream, windowBits: number): number;
    inflateReset(strm: ZStream): number;
    inflate(strm: ZStream, flush: number): number;
  };
  export default zlibInflate;
}
