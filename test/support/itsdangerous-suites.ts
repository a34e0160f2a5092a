/**
 * The shared test classes of itsdangerous 2.2's `tests/test_itsdangerous/` (`TestSigner`,
 * `TestSerializer`, `TestTimedSerializer`), ported test by test under their upstream names. As
 * upstream, subclasses' specs run them again against their own class (`TestTimestampSigner`
 * reruns `TestSigner`, `TestURLSafeTimedSerializer` reruns both serializer suites).
 *
 * Differences forced by the language, each noted at its test: values are text, not bytes;
 * pickle (upstream's second serializer) becomes Flask's `TaggedJSONSerializer`; freezegun
 * becomes Jest's fake clock.
 */
import { jest } from '@jest/globals';
import { NotImplementedError, TaggedJSONSerializer } from '../../lib/tagged-json/index.js';
import {
  BadPayload,
  BadSignature,
  BadTimeSignature,
  HMACAlgorithm,
  NoneAlgorithm,
  SignatureExpired,
  Signer,
  SigningAlgorithm,
  TimedSerializer,
  TimestampSigner,
  type Serializer,
  type SerializerOptions,
  type SignerClass,
  type SignerOptions,
  type TextSink,
  type TextSource,
  type TimestampedValue,
} from '../../lib/itsdangerous/index.js';
import { catchError } from './catch-error.js';

/** itsdangerous' `FreezeMixin`: the clock stands at 2011-06-24T00:09:05Z until ticked. */
export const FROZEN_AT = new Date(Date.UTC(2011, 5, 24, 0, 9, 5));

/** Freezes the clock around every test of the enclosing `describe`; `tick` moves it, as freezegun's. */
export function freezeTime(at: Date = FROZEN_AT): { tick(seconds?: number): void } {
  beforeEach(() => {
    jest.useFakeTimers({ now: at });
  });
  afterEach(() => {
    jest.useRealTimers();
  });
  return { tick: (seconds = 1) => jest.setSystemTime(Date.now() + seconds * 1000) };
}

/** A signer class whose failed `unsign` carries no payload (upstream's `BadUnsign`). */
function withoutPayload(error: unknown): unknown {
  return error instanceof BadSignature ? new BadSignature(error.message) : error;
}

class ReverseAlgorithm extends SigningAlgorithm {
  override getSignature(key: Buffer, value: string | Buffer): Buffer {
    return Buffer.concat([key, Buffer.from(value)]).reverse();
  }
}

// ---------------------------------------------------------------------------------------------
// test_signer.py: TestSigner

export function testSigner(SignerUnderTest: SignerClass): void {
  const signerFactory = (options: SignerOptions = {}): Signer => new SignerUnderTest('secret-key', options);

  it('test_signer', () => {
    const signer = signerFactory();
    const signed = signer.sign('my string');
    expect(typeof signed).toBe('string');
    expect(signer.validate(signed)).toBe(true);
    expect(signer.unsign(signed)).toBe('my string');
  });

  it('test_no_separator', () => {
    const signer = signerFactory();
    const signed = signer.sign('my string').replace(signer.sep, '*');
    expect(signer.validate(signed)).toBe(false);
    expect(() => signer.unsign(signed)).toThrow(BadSignature);
  });

  it('test_broken_signature', () => {
    const signer = signerFactory();
    const badSigned = signer.sign('b').slice(0, -1);
    const badSig = badSigned.slice(badSigned.lastIndexOf('.') + 1);
    expect(signer.verifySignature('b', badSig)).toBe(false);
    const error = catchError(() => signer.unsign(badSigned));
    expect(error).toBeInstanceOf(BadSignature);
    expect((error as BadSignature).payload).toEqual(Buffer.from('b'));
  });

  it('test_changed_value', () => {
    const signer = signerFactory();
    const signed = signer.sign('my string').replace('my', 'other');
    expect(signer.validate(signed)).toBe(false);
    expect(() => signer.unsign(signed)).toThrow(BadSignature);
  });

  it('test_invalid_separator', () => {
    // itsdangerous raises ValueError; here it is the TypeError of a bad argument.
    expect(() => signerFactory({ sep: '-' })).toThrow('separator cannot be used');
  });

  it.each(['concat', 'django-concat', 'hmac', 'none'] as const)('test_key_derivation[%s]', (keyDerivation) => {
    const signer = signerFactory({ keyDerivation });
    expect(signer.unsign(signer.sign('value'))).toBe('value');
  });

  it('test_invalid_key_derivation', () => {
    // itsdangerous raises the TypeError from derive_key() on first use; keys are derived once,
    // at construction, here, so construction raises it.
    expect(() => signerFactory({ keyDerivation: 'invalid' as never })).toThrow(TypeError);
  });

  it('test_digest_method', () => {
    const signer = signerFactory({ digestMethod: 'md5' });
    expect(signer.unsign(signer.sign('value'))).toBe('value');
  });

  it.each([
    ['None', null],
    ['NoneAlgorithm', new NoneAlgorithm()],
    ['HMACAlgorithm', new HMACAlgorithm()],
    ['_ReverseAlgorithm', new ReverseAlgorithm()],
  ] as const)('test_algorithm[%s]', (_label, algorithm) => {
    const signer = signerFactory({ algorithm });
    expect(signer.unsign(signer.sign('value'))).toBe('value');
    if (algorithm === null) expect((signer.algorithm as HMACAlgorithm).digestMethod).toBe(signer.digestMethod);
  });

  it('test_secret_keys', () => {
    const signed = new Signer('a').sign('my string');
    expect(typeof signed).toBe('string');
    const signer = new Signer(['a', 'b']);
    expect(signer.validate(signed)).toBe(true);
    expect(signer.unsign(signed)).toBe('my string');
  });
}

/** test_signer.py's module-level `test_abstract_algorithm`. */
export function testAbstractAlgorithm(): void {
  it('test_abstract_algorithm', () => {
    expect(() => new SigningAlgorithm().getSignature(Buffer.from('a'), Buffer.from('b'))).toThrow(NotImplementedError);
  });
}

// ---------------------------------------------------------------------------------------------
// test_serializer.py: TestSerializer

/** `(options) => new SomeSerializer(secretKey, options)`: upstream's `serializer_factory`. */
export type SerializerFactory<S extends Serializer = Serializer> = (options?: SerializerOptions) => S;

export interface SerializerSuiteParams<S extends Serializer = Serializer> {
  /** The `serializer_factory` fixture's params, by id. */
  factories: ReadonlyArray<readonly [string, SerializerFactory<S>]>;
  /** The `value` fixture's params, by id. */
  values: ReadonlyArray<readonly [string, unknown]>;
}

/** Upstream's `StringIO`/`BytesIO` for `dump`/`load`: a text buffer with a read position. */
class StringIO implements TextSink, TextSource {
  private text = '';
  private position = 0;

  write(text: string): void {
    this.text = this.text.slice(0, this.position) + text;
    this.position = this.text.length;
  }

  read(): string {
    const rest = this.text.slice(this.position);
    this.position = this.text.length;
    return rest;
  }

  seek(position: number): void {
    this.position = position;
  }
}

function cases<S extends Serializer>(params: SerializerSuiteParams<S>): Array<[string, SerializerFactory<S>, unknown]> {
  return params.factories.flatMap(([factoryId, factory]) =>
    params.values.map(([valueId, value]): [string, SerializerFactory<S>, unknown] => [
      `${factoryId}-${valueId}`,
      factory,
      value,
    ]),
  );
}

/** A subclass of the serializer's signer class whose failed unsign has no payload. */
function badUnsignClass(serializer: Serializer): SignerClass {
  if (serializer instanceof TimedSerializer) {
    const Base = serializer.signer as typeof TimestampSigner;
    return class BadUnsign extends Base {
      override unsignWithTimestamp(
        signed: string | Buffer,
        options?: { maxAge?: number | null },
      ): TimestampedValue<string> {
        try {
          return super.unsignWithTimestamp(signed, options);
        } catch (error) {
          throw withoutPayload(error);
        }
      }
    };
  }
  const Base = serializer.signer as typeof Signer;
  return class BadUnsign extends Base {
    override unsign(signed: string | Buffer): string {
      try {
        return super.unsign(signed);
      } catch (error) {
        throw withoutPayload(error);
      }
    }
  };
}

export function testSerializer<S extends Serializer>(params: SerializerSuiteParams<S>): void {
  const testSerializerValues: Array<[string, unknown]> = [
    ['None', null],
    ['True', true],
    ['str', 'str'],
    ['text', 'text'],
    ['list', [1, 2, 3]],
    ['dict', { id: 42 }],
  ];
  for (const [factoryId, factory] of params.factories) {
    it.each(testSerializerValues)(`test_serializer[${factoryId}-%s]`, (_id, value) => {
      const serializer = factory();
      expect(serializer.loads(serializer.dumps(value))).toEqual(value);
    });
  }

  const transforms: Array<[string, (s: string) => string]> = [
    ['upper', (s) => s.toUpperCase()],
    ['append', (s) => `${s}a`],
    ['replace-first', (s) => `a${s.slice(1)}`],
    ['drop-dots', (s) => s.replaceAll('.', '')],
  ];
  for (const [id, factory, value] of cases(params)) {
    it.each(transforms)(`test_changed_value[${id}-%s]`, (_transformId, transform) => {
      const serializer = factory();
      const signed = serializer.dumps(value);
      expect(serializer.loads(signed)).toEqual(value);
      const changed = transform(signed);
      expect(changed).not.toBe(signed);
      expect(() => serializer.loads(changed)).toThrow(BadSignature);
    });

    it(`test_bad_signature_exception[${id}]`, () => {
      const serializer = factory();
      const badSigned = serializer.dumps(value).slice(0, -1);
      const error = catchError(() => serializer.loads(badSigned));
      expect(error).toBeInstanceOf(BadSignature);
      expect(serializer.loadPayload((error as BadSignature).payload!)).toEqual(value);
    });

    it(`test_bad_payload_exception[${id}]`, () => {
      const serializer = factory();
      const original = serializer.dumps(value);
      const payload = original.slice(0, original.lastIndexOf('.'));
      const bad = serializer.makeSigner().sign(payload.slice(0, -1));
      const error = catchError(() => serializer.loads(bad));
      expect(error).toBeInstanceOf(BadPayload);
      expect((error as BadPayload).originalError).not.toBeNull();
    });

    it(`test_loads_unsafe[${id}]`, () => {
      const serializer = factory();
      const signed = serializer.dumps(value);
      expect(serializer.loadsUnsafe(signed)).toEqual([true, value]);

      const badSigned = signed.slice(0, -1);
      expect(serializer.loadsUnsafe(badSigned)).toEqual([false, value]);

      const payload = signed.slice(0, signed.lastIndexOf('.'));
      const badPayload = serializer.makeSigner().sign(payload.slice(0, -1)).slice(0, -1);
      expect(serializer.loadsUnsafe(badPayload)).toEqual([false, null]);

      serializer.signer = badUnsignClass(serializer) as typeof serializer.signer;
      expect(serializer.loadsUnsafe(badSigned)).toEqual([false, null]);
    });

    it(`test_file[${id}]`, () => {
      const serializer = factory();
      const file = new StringIO();
      serializer.dump(value, file);
      file.seek(0);
      expect(serializer.load(file)).toEqual(value);
      file.seek(0);
      expect(serializer.loadUnsafe(file)).toEqual([true, value]);
    });

    it(`test_alt_salt[${id}]`, () => {
      const serializer = factory();
      const signed = serializer.dumps(value, 'other');
      expect(() => serializer.loads(signed)).toThrow(BadSignature);
      expect(serializer.loads(signed, 'other')).toEqual(value);
      expect(serializer.loads(signed, { salt: 'other' })).toEqual(value);
    });

    it(`test_signer_cls[${id}]`, () => {
      const serializer = factory();
      const Base = serializer.signer as typeof Signer;
      class Other extends Base {
        static override defaultKeyDerivation = 'hmac' as const;
      }
      const other = factory({ signer: Other });
      expect(other.loads(other.dumps(value))).toEqual(value);
      expect(other.dumps(value)).not.toBe(serializer.dumps(value));
    });

    it(`test_signer_kwargs[${id}]`, () => {
      const serializer = factory();
      const other = factory({ signerOptions: { keyDerivation: 'hmac' } });
      expect(other.loads(other.dumps(value))).toEqual(value);
      expect(other.dumps('value')).not.toBe(serializer.dumps('value'));
    });

    it(`test_fallback_signers[${id}]`, () => {
      const signed = factory({ signerOptions: { digestMethod: 'sha256' } }).dumps(value);
      const fallbackSerializer = factory({
        signerOptions: { digestMethod: 'sha1' },
        fallbackSigners: [{ digestMethod: 'sha256' }],
      });
      expect(fallbackSerializer.loads(signed)).toEqual(value);
    });
  }

  for (const [factoryId, factory] of params.factories) {
    it(`test_serializer_kwargs[${factoryId}]`, () => {
      // Upstream passes json's skipkeys and returns early for pickle, which takes no such
      // option. JSON.stringify's option is its replacer; TaggedJSONSerializer takes none.
      const replacer = (key: string, value: unknown): unknown => (key === 'skipped' ? undefined : value);
      const serializer = factory({ serializerOptions: { replacer } });
      if (serializer.serializer instanceof TaggedJSONSerializer) {
        expect(serializer.dumps({ skipped: 1 })).toBe(factory().dumps({ skipped: 1 }));
        return;
      }
      expect(serializer.loads(serializer.dumps({ skipped: 1 }))).toEqual({});
    });

    it(`test_iter_unsigners[${factoryId}]`, () => {
      const Base = factory().signer as typeof Signer;
      class Signer256 extends Base {
        static override defaultDigestMethod = 'sha256';
      }
      const serializer = factory({
        fallbackSigners: [{ digestMethod: 'sha256' }, [Signer, { digestMethod: 'sha256' }], Signer256],
      });
      const unsigners = [...serializer.iterUnsigners()];
      expect(unsigners).toHaveLength(4);
      expect(unsigners[0]!.digestMethod).toBe('sha1');
      for (const signer of unsigners.slice(1)) expect(signer.digestMethod).toBe('sha256');
    });
  }
}

// ---------------------------------------------------------------------------------------------
// test_timed.py: TestTimestampSigner's own tests and TestTimedSerializer

/** The tests TestTimestampSigner adds to TestSigner; call inside a `describe` that froze time. */
export function testTimestampSigner(clock: { tick(seconds?: number): void }): void {
  const signerFactory = (options: SignerOptions = {}): TimestampSigner => new TimestampSigner('secret-key', options);

  it('test_max_age', () => {
    const signer = signerFactory();
    const signed = signer.sign('value');
    clock.tick();
    expect(signer.unsign(signed, { maxAge: 10 })).toBe('value');
    clock.tick(10);
    const error = catchError(() => signer.unsign(signed, { maxAge: 10 }));
    expect(error).toBeInstanceOf(SignatureExpired);
    expect((error as SignatureExpired).dateSigned).toEqual(FROZEN_AT);
  });

  it('test_return_timestamp', () => {
    const signer = signerFactory();
    expect(signer.unsign(signer.sign('value'), { returnTimestamp: true })).toEqual({
      value: 'value',
      timestamp: FROZEN_AT,
    });
  });

  it('test_timestamp_missing', () => {
    const signed = new Signer('secret-key').sign('value');
    const error = catchError(() => signerFactory().unsign(signed));
    expect(error).toBeInstanceOf(BadTimeSignature);
    expect(String(error)).toContain('missing');
    expect((error as BadTimeSignature).dateSigned).toBeNull();
  });

  it('test_malformed_timestamp', () => {
    const signed = new Signer('secret-key').sign('value.____________');
    const error = catchError(() => signerFactory().unsign(signed));
    expect(error).toBeInstanceOf(BadTimeSignature);
    expect(String(error)).toContain('Malformed');
    expect((error as BadTimeSignature).dateSigned).toBeNull();
  });

  it('test_malformed_future_timestamp', () => {
    const error = catchError(() => signerFactory().unsign('value.TgPVoaGhoQ.AGBfQ6G6cr07byTRt0zAdPljHOY'));
    expect(error).toBeInstanceOf(BadTimeSignature);
    expect(String(error)).toContain('Malformed');
    expect((error as BadTimeSignature).dateSigned).toBeNull();
  });

  it('test_future_age', () => {
    const signer = signerFactory();
    const signed = signer.sign('value');
    jest.setSystemTime(new Date('1971-05-31T00:00:00Z'));
    const error = catchError(() => signer.unsign(signed, { maxAge: 10 }));
    expect(error).toBeInstanceOf(SignatureExpired);
    expect((error as SignatureExpired).dateSigned).toBeInstanceOf(Date);
  });

  it('test_sig_error_date_signed', () => {
    const signer = signerFactory();
    const signed = signer.sign('my string').replace('my', 'other');
    const error = catchError(() => signer.unsign(signed));
    expect(error).toBeInstanceOf(BadTimeSignature);
    expect((error as BadTimeSignature).dateSigned).toBeInstanceOf(Date);
  });
}

/** The tests TestTimedSerializer adds to TestSerializer; call inside a `describe` that froze time. */
export function testTimedSerializer(
  params: SerializerSuiteParams<TimedSerializer>,
  clock: { tick(seconds?: number): void },
): void {
  for (const [id, factory, value] of cases(params)) {
    it(`test_max_age[${id}]`, () => {
      const serializer = factory();
      const signed = serializer.dumps(value);
      clock.tick();
      expect(serializer.loads(signed, { maxAge: 10 })).toEqual(value);
      clock.tick(10);
      const error = catchError(() => serializer.loads(signed, { maxAge: 10 }));
      expect(error).toBeInstanceOf(SignatureExpired);
      expect((error as SignatureExpired).dateSigned).toEqual(FROZEN_AT);
      expect(serializer.loadPayload((error as SignatureExpired).payload!)).toEqual(value);
    });

    it(`test_return_payload[${id}]`, () => {
      const serializer = factory();
      const signed = serializer.dumps(value);
      expect(serializer.loads(signed, { returnTimestamp: true })).toEqual({ value, timestamp: FROZEN_AT });
    });
  }
}
