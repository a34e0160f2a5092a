/**
 * TimestampSigner: signing, each check of unsign in itsdangerous' order, maxAge, then itsdangerous'
 * own tests/test_itsdangerous/test_timed.py, ported.
 */
import {
  BadSignature,
  BadTimeSignature,
  base64UrlEncode,
  intToBytes,
  SignatureExpired,
  Signer,
  TimestampSigner,
} from '../../lib/itsdangerous/index.js';
import { catchError } from '../support/catch-error.js';
import { freezeTime, testSigner, testTimestampSigner } from '../support/itsdangerous-suites.js';

const T0 = 1700000000; // base64url(6553f100) = 'ZVPxAA'
const options = { salt: 's', keyDerivation: 'hmac' } as const;
const at = (now: number) => new TimestampSigner('k', { ...options, now: () => now });
/** Signs arbitrary text with the same key and salt but no timestamp logic, to build edge cases. */
const plain = new Signer('k', options);
const tsSegment = (ts: number) => base64UrlEncode(intToBytes(ts));

describe('TimestampSigner.sign', () => {
  it('appends the big-endian, zero-stripped timestamp, then signs the whole', () => {
    const signed = at(T0).sign('value');
    expect(signed.startsWith('value.ZVPxAA.')).toBe(true);
    expect(plain.unsign(signed)).toBe('value.ZVPxAA');
  });

  it('floors a fractional clock', () => {
    expect(at(T0 + 0.999).sign('v')).toBe(at(T0).sign('v'));
    expect(at(T0 + 0.999).getTimestamp()).toBe(T0);
  });

  it('timestamp 0 is an empty segment; 2^32 and later take 5 bytes', () => {
    expect(at(0).sign('v').startsWith('v..')).toBe(true);
    expect(at(0).unsignWithTimestamp(at(0).sign('v')).timestamp.getTime()).toBe(0);
    expect(at(4294979641).sign('v').split('.')[1]).toBe('AQAAMDk');
  });

  it('defaults to the system clock', () => {
    const signer = new TimestampSigner('k');
    const { timestamp } = signer.unsignWithTimestamp(signer.sign('v'), { maxAge: 5 });
    expect(Math.abs(timestamp.getTime() - Date.now())).toBeLessThan(5000);
    expect(signer.getTimestamp()).toBe(Math.floor(Date.now() / 1000));
  });

  it('timestampToDate reads Unix seconds', () => {
    expect(at(T0).timestampToDate(T0).toISOString()).toBe('2023-11-14T22:13:20.000Z');
  });
});

describe('TimestampSigner.unsign (itsdangerous timed.py, each check in its order)', () => {
  const signer = at(T0);
  const signed = signer.sign('value');

  it('returns the value, or value and date with returnTimestamp', () => {
    const value: string = signer.unsign(signed);
    expect(value).toBe('value');
    const withDate = signer.unsign(signed, { returnTimestamp: true });
    expect(withDate).toEqual({ value: 'value', timestamp: new Date(T0 * 1000) });
    expect(signer.unsignWithTimestamp(signed)).toEqual(withDate);
    expect(signer.validate(signed)).toBe(true);
  });

  it('step 6: no separator left after a failed signature re-raises the plain BadSignature', () => {
    for (const input of ['', 'abc', 'abc.def']) {
      const error = catchError(() => signer.unsign(input));
      expect(error).toBeInstanceOf(BadSignature);
      expect(error).not.toBeInstanceOf(BadTimeSignature);
    }
  });

  it('step 6: a valid signature without a timestamp is BadTimeSignature("timestamp missing")', () => {
    const error = catchError(() => signer.unsign(plain.sign('value'))) as BadTimeSignature;
    expect(error).toBeInstanceOf(BadTimeSignature);
    expect(error).not.toBeInstanceOf(SignatureExpired);
    expect(error.message).toBe('timestamp missing');
    expect(error.payload?.toString()).toBe('value');
  });

  it('step 9: a bad signature with a readable timestamp carries payload and dateSigned', () => {
    const error = catchError(() => signer.unsign(`${signed.slice(0, -1)}A`)) as BadTimeSignature;
    expect(error).toBeInstanceOf(BadTimeSignature);
    expect(error).not.toBeInstanceOf(SignatureExpired);
    expect(error.message).toMatch(/^Signature ".*" does not match$/);
    expect(error.payload?.toString()).toBe('value');
    expect(error.dateSigned?.getTime()).toBe(T0 * 1000);
  });

  it('step 9: a bad signature with an unreadable timestamp has dateSigned null', () => {
    const error = catchError(() => signer.unsign('value.!!.AAAA')) as BadTimeSignature;
    expect(error.message).toBe('Signature "AAAA" does not match');
    expect(error.dateSigned).toBeNull();
    expect(error.payload?.toString()).toBe('value');
  });

  it('step 9: a bad signature whose timestamp Python cannot date (after year 9999) is "Malformed timestamp"', () => {
    const error = catchError(() => signer.unsign(`value.${tsSegment(253402300800)}.AAAA`)) as BadTimeSignature;
    expect(error.message).toBe('Malformed timestamp');
    expect(error.dateSigned).toBeNull();
  });

  it.each([
    ['9 bytes', 'AQEBAQEBAQEB'],
    ['not base64url', '!!'],
    ['padded', 'ZVPxAA=='],
    ['8 bytes past 2^53', '__________8'],
    ['after 9999-12-31T23:59:59Z', tsSegment(253402300800)],
  ])(
    'step 10: a valid signature over a malformed timestamp (%s) is BadTimeSignature("Malformed timestamp")',
    (_label, ts) => {
      // For the last case Python raises an uncaught ValueError instead (a documented deviation).
      const error = catchError(() => signer.unsign(plain.sign(`value.${ts}`), { maxAge: 60 })) as BadTimeSignature;
      expect(error).toBeInstanceOf(BadTimeSignature);
      expect(error).not.toBeInstanceOf(SignatureExpired);
      expect(error.message).toBe('Malformed timestamp');
      expect(error.payload?.toString()).toBe('value');
    },
  );

  it('the last second Python can date still works', () => {
    const { timestamp } = signer.unsignWithTimestamp(plain.sign(`value.${tsSegment(253402300799)}`));
    expect(timestamp.toISOString()).toBe('9999-12-31T23:59:59.000Z');
  });
});

describe('TimestampSigner.unsign: maxAge (step 11)', () => {
  const signed = at(T0).sign('value');

  it('age == maxAge is valid; one second more is SignatureExpired', () => {
    expect(at(T0 + 60).unsign(signed, { maxAge: 60 })).toBe('value');
    const error = catchError(() => at(T0 + 61).unsign(signed, { maxAge: 60 })) as SignatureExpired;
    expect(error).toBeInstanceOf(SignatureExpired);
    expect(error.message).toBe('Signature age 61 > 60 seconds');
    expect(error.payload?.toString()).toBe('value');
    expect(error.dateSigned?.getTime()).toBe(T0 * 1000);
  });

  it('a fractional clock is floored before computing the age', () => {
    expect(at(T0 + 60.999).unsign(signed, { maxAge: 60 })).toBe('value');
  });

  it('maxAge 0 accepts only the same second', () => {
    expect(at(T0).unsign(signed, { maxAge: 0 })).toBe('value');
    expect(() => at(T0 + 1).unsign(signed, { maxAge: 0 })).toThrow(SignatureExpired);
  });

  it('a timestamp in the future, even by one second, is SignatureExpired', () => {
    const error = catchError(() => at(T0 - 1).unsign(signed, { maxAge: 60 })) as SignatureExpired;
    expect(error).toBeInstanceOf(SignatureExpired);
    expect(error.message).toBe('Signature age -1 < 0 seconds');
    expect(error.dateSigned?.getTime()).toBe(T0 * 1000);
  });

  it('without maxAge (undefined or null) there is no age check at all', () => {
    expect(at(T0 + 10 ** 9).unsign(signed)).toBe('value');
    expect(at(T0 - 10 ** 9).unsign(signed, { maxAge: null })).toBe('value');
  });

  it('validate applies maxAge too', () => {
    expect(at(T0 + 60).validate(signed, { maxAge: 60 })).toBe(true);
    expect(at(T0 + 61).validate(signed, { maxAge: 60 })).toBe(false);
    expect(at(T0 + 61).validate('garbage', { maxAge: 60 })).toBe(false);
  });
});

describe('itsdangerous 2.2 tests/test_itsdangerous/test_timed.py', () => {
  describe('TestTimestampSigner (TestSigner rerun, then its own tests)', () => {
    const clock = freezeTime();
    testSigner(TimestampSigner);
    testTimestampSigner(clock);
  });
});
