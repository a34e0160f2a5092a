/**
 * An estimate of how many bits of entropy a secret key has at most, from how it could have been
 * made: the smallest of a few descriptions of it, in bits. A guesser who knows the key is hex, or
 * a word typed four times, or a run of `abcdef`, searches far fewer keys than its length
 * suggests. The estimate catches repetition (`changemechangeme…`), sequences (`0123…`, `abcd…`)
 * and keys drawn from few distinct characters (`aabbabab…`); it knows no dictionary, so an
 * English sentence still counts as random letters.
 */

/** Keys estimated below this are weak. 32 random hex characters (128 bits) and anything longer or richer pass. */
export const MIN_SECRET_KEY_ENTROPY_BITS = 100;

/** Matches shorter than this are not worth describing as a repeat. */
const MIN_REPEAT = 3;

const log2 = Math.log2;

/** log2 of the binomial coefficient C(n, k). */
function log2Choose(n: number, k: number): number {
  let bits = 0;
  for (let i = 1; i <= k; i++) bits += log2(n - k + i) - log2(i);
  return bits;
}

/** The size of the smallest usual alphabet that holds every character of the key. */
function alphabetSize(codes: readonly number[]): number {
  const isHexLower = codes.every((c) => (c >= 48 && c <= 57) || (c >= 97 && c <= 102));
  const isHexUpper = codes.every((c) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70));
  if (isHexLower || isHexUpper) return 16;
  if (codes.some((c) => c < 32 || c > 126)) return 256;
  let size = 0;
  if (codes.some((c) => c >= 97 && c <= 122)) size += 26;
  if (codes.some((c) => c >= 65 && c <= 90)) size += 26;
  if (codes.some((c) => c >= 48 && c <= 57)) size += 10;
  const symbols = new Set(
    codes.filter((c) => !((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57))),
  );
  // A separator or two ('-', '_', base64's '+/=') add themselves; more mean any printable symbol.
  size += symbols.size <= 3 ? symbols.size : 33;
  return size;
}

/** Length of the longest run starting at `i` equal to an earlier one (overlap allowed, as LZ77). */
function longestRepeat(codes: readonly number[], i: number): number {
  let best = 0;
  for (let j = 0; j < i; j++) {
    let length = 0;
    while (i + length < codes.length && codes[j + length] === codes[i + length]) length++;
    if (length > best) best = length;
  }
  return best;
}

/** How many characters from `i` continue the step of ±1 from the character before (`abc`, `987`). */
function sequenceRun(codes: readonly number[], i: number): number {
  if (i < 1) return 0;
  const step = codes[i]! - codes[i - 1]!;
  if (step !== 1 && step !== -1) return 0;
  let length = 1;
  while (i + length < codes.length && codes[i + length]! - codes[i + length - 1]! === step) length++;
  return length;
}

/**
 * Bits of entropy the key has at most. A string is read as its code points, a Buffer as
 * bytes. The key is parsed greedily into literal characters, repeats of earlier text (costing
 * their position and length) and sequence steps (costing a direction and a length); literals
 * cost log2 of the key's alphabet each, or, when cheaper, log2 of its number of distinct
 * characters plus the choice of those characters.
 */
export function estimateKeyEntropyBits(key: string | Buffer): number {
  const codes = typeof key === 'string' ? Array.from(key, (c) => c.codePointAt(0)!) : [...key];
  const n = codes.length;
  if (n === 0) return 0;
  let literals = 0;
  let tokenBits = 0;
  for (let i = 0; i < n;) {
    const repeat = longestRepeat(codes, i);
    const sequence = sequenceRun(codes, i);
    if (repeat >= MIN_REPEAT && repeat >= sequence) {
      tokenBits += log2(i) + log2(n);
      i += repeat;
    } else if (sequence >= 2) {
      tokenBits += 1 + log2(n);
      i += sequence;
    } else {
      literals++;
      i++;
    }
  }
  const alphabet = alphabetSize(codes);
  const distinct = new Set(codes).size;
  const literalBits = Math.min(
    literals * log2(alphabet),
    literals * log2(Math.max(distinct, 2)) + log2Choose(alphabet, Math.min(distinct, alphabet)),
  );
  return literalBits + tokenBits;
}
