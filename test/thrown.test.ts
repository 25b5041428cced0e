import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigFileError, ValidateConfigError } from '../src/index.js';
import { describeFailures } from '../src/errors.js';
import { errorSummary, isInstance, messageOf, readSafely, stackOf } from '../src/thrown.js';
import { HOSTILE_THROWN, allTrapsThrow, revokedProxy } from './hostile.js';

/**
 * Any value fast-check can build, plus the hostile ones. The property gets a
 * factory, not the value: fast-check itself inspects generated values, and a
 * Proxy whose traps throw would break the generator instead of the code under test.
 */
const anyThrown = fc.oneof(
  fc
    .anything({ withBigInt: true, withNullPrototype: true, withMap: true, withSet: true, withDate: true, withTypedArray: true })
    .map((value) => () => value),
  fc.constantFrom(...HOSTILE_THROWN.map(([, make]) => make)),
);

describe('errorSummary', () => {
  it.each(HOSTILE_THROWN)('describes %s with two strings, without throwing', (_name, make) => {
    const summary = errorSummary(make());
    expect(typeof summary.name).toBe('string');
    expect(typeof summary.message).toBe('string');
    expect(summary.name).not.toBe('');
  });

  it('never throws and always gives strings, for any value', () => {
    fc.assert(
      fc.property(anyThrown, (make) => {
        const value = make();
        const { name, message } = errorSummary(value);
        return typeof name === 'string' && typeof message === 'string' && typeof messageOf(value) === 'string' && typeof stackOf(value) === 'string';
      }),
    );
  });

  it('keeps the name and message of errors and error-like objects', () => {
    expect(errorSummary(new TypeError('bad'))).toEqual({ name: 'TypeError', message: 'bad' });
    expect(errorSummary({ name: 'HttpError', message: 'gone', status: 410 })).toEqual({ name: 'HttpError', message: 'gone' });
    expect(errorSummary({ message: 'plain' })).toEqual({ name: 'Error', message: 'plain' });
  });

  it('renders other values as what they are', () => {
    expect(errorSummary('boom').message).toBe('boom');
    expect(errorSummary(null).message).toBe('null');
    expect(errorSummary(undefined).message).toBe('undefined');
    expect(errorSummary(Symbol('s')).message).toBe('Symbol(s)');
    expect(errorSummary(42).message).toBe('42');
    expect(errorSummary({ code: 42 }).message).toBe('{"code":42}');
    expect(errorSummary({ toString: () => 'custom' }).message).toBe('custom');
    expect(errorSummary('x'.repeat(10_000)).message).toHaveLength(10_000); // a string is the message itself
    expect(errorSummary({ data: 'x'.repeat(10_000) }).message.length).toBeLessThan(300); // a rendering is short
  });

  it('answers instanceof and property reads of hostile values with false and undefined', () => {
    for (const value of [revokedProxy(), allTrapsThrow(new Error('x'))]) {
      expect(isInstance(value, Error)).toBe(false);
      expect(readSafely(value, 'message')).toBeUndefined();
    }
    expect(isInstance(new RangeError('r'), Error)).toBe(true);
  });
});

describe('describing errors that carry hostile values', () => {
  it('describeFailures and the issue-listing errors never throw', () => {
    fc.assert(
      fc.property(fc.array(anyThrown, { maxLength: 12 }), (makers) => {
        const values = makers.map((make) => make());
        const failures = values.map((error, i) => ({ role: `r${i}`, phase: 'init' as const, error }));
        const issues = values.map((v) => ({ path: 'p', message: v as string }));
        // The items themselves, and the lists, may be hostile too (the constructors are public).
        const items = values as never[];
        return (
          typeof describeFailures(failures) === 'string' &&
          typeof new ValidateConfigError(issues).message === 'string' &&
          typeof new ConfigFileError('f.yaml', 1, 1, issues).message === 'string' &&
          typeof describeFailures(items) === 'string' &&
          typeof new ValidateConfigError(items).message === 'string' &&
          typeof new ValidateConfigError(revokedProxy() as never).message === 'string'
        );
      }),
    );
  });
});
