/**
 * The `err` serializer: anything can be thrown, and the serializer must give a
 * line for all of it without throwing, saying each message once.
 */
import fc from 'fast-check';
import { transformSync } from '@swc/core';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { StopRoleError, TimeoutError } from '../../src/index.js';
import { serializeError } from '../../src/logging/serialize-error.js';

function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

const hostile = (): [string, unknown][] => [
  ['null', null],
  ['undefined', undefined],
  ['a string', 'plain text'],
  ['a number', 42],
  ['a bigint', 10n],
  ['a Symbol', Symbol('sym')],
  ['a function', function namedFn() {}],
  ['an object without a prototype', Object.create(null)],
  ['an object whose toString throws', { toString: () => { throw new Error('no toString'); } }],
  ['an object whose toString and toJSON throw', { toString: () => { throw new Error('x'); }, toJSON: () => { throw new Error('y'); } }],
  ['a revoked Proxy', revokedProxy()],
  ['an error whose message getter throws', Object.defineProperty(new Error('x'), 'message', { get() { throw new Error('getter'); } })],
  ['an error whose stack getter throws', Object.defineProperty(new Error('has stack'), 'stack', { get() { throw new Error('getter'); } })],
  ['an error caused by a revoked Proxy', new Error('outer', { cause: revokedProxy() })],
  ['an error with a revoked Proxy property', Object.assign(new Error('prop'), { detail: revokedProxy() })],
  ['a circular cause chain', (() => { const a = new Error('a'); const b = new Error('b', { cause: a }); (a as { cause?: unknown }).cause = b; return a; })()],
  ['a frozen error', Object.freeze(new Error('frozen'))],
  ['a circular plain object', (() => { const o: Record<string, unknown> = {}; o.self = o; return o; })()],
];

describe('serializeError', () => {
  it.each(hostile())('gives { type, message } for %s, never throws, and is JSON-safe', (_label, value) => {
    const out = serializeError(value);
    expect(typeof out.type).toBe('string');
    expect(typeof out.message).toBe('string');
    expect(() => JSON.stringify(out)).not.toThrow();
  });

  it('names what was thrown when it is not an error', () => {
    expect(serializeError(null)).toEqual({ type: 'null', message: 'null' });
    expect(serializeError('plain text')).toEqual({ type: 'string', message: 'plain text' });
    expect(serializeError(Symbol('sym'))).toEqual({ type: 'symbol', message: 'Symbol(sym)' });
    expect(serializeError(Object.create(null))).toEqual({ type: 'object', message: '{}' });
    expect(serializeError({ code: 'E_X', detail: 1 })).toEqual({ type: 'Object', message: '{"code":"E_X","detail":1}' });
    expect(serializeError(revokedProxy())).toMatchObject({ type: 'object', message: expect.stringMatching(/^\[unreadable object: .*revoked/) });
  });

  it("says an error's own message, and keeps the cause chain as nested causes", () => {
    const cause = new TimeoutError('Role "a" stop timed out after 40 ms');
    const err = new StopRoleError(`Role "a" stop failed: ${cause.message}`, { cause });
    const out = serializeError(err);
    expect(out).toMatchObject({
      type: 'StopRoleError',
      message: 'Role "a" stop failed: Role "a" stop timed out after 40 ms',
      code: 'RK_ERR_STOP_ROLE',
      cause: { type: 'TimeoutError', message: 'Role "a" stop timed out after 40 ms', code: 'RK_ERR_TIMEOUT' },
    });
    expect(out.stack).toMatch(/^StopRoleError: Role "a" stop failed/);
    expect(out.cause!.cause).toBeUndefined();
  });

  it("keeps its own type and message when the error has properties of those names (node-fetch's err.type)", () => {
    const err = Object.assign(new Error('request failed'), { type: 'system', message2: 1 });
    Object.defineProperty(err, '__proto__', { value: { polluted: true }, enumerable: true });
    const out = serializeError(err);
    expect(out).toMatchObject({ type: 'Error', message: 'request failed', message2: 1 });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it('stops at a circular cause, and after 8 causes', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(serializeError(b).cause!.cause).toEqual({ type: 'Error', message: '[circular cause]' });
    let deep: Error = new Error('e0');
    for (let i = 1; i <= 20; i++) deep = new Error(`e${i}`, { cause: deep });
    let depth = 0;
    for (let e = serializeError(deep).cause; e; e = e.cause) depth++;
    expect(depth).toBe(9);
  });

  it("lists an AggregateError's errors, and reduces errors inside other properties to type and message", () => {
    const out = serializeError(Object.assign(new AggregateError([new Error('one'), 'two'], 'both'), { failures: [{ role: 'a', error: new Error('x') }] }));
    expect(out.errors).toMatchObject([{ type: 'Error', message: 'one' }, { type: 'string', message: 'two' }]);
    expect(out.failures).toEqual([{ role: 'a', error: { type: 'Error', message: 'x' } }]);
  });

  it("reduces swc's diagnostic to one line and drops its native backtrace", () => {
    let thrown: unknown;
    try {
      transformSync('const x = ;', { filename: '/app/a.ts', jsc: { parser: { syntax: 'typescript' } } });
    } catch (err) {
      thrown = err;
    }
    expect(String((thrown as Error).message)).toContain('Stack backtrace:');
    const out = serializeError(new Error('loading /app/a.ts failed', { cause: thrown }));
    expect(out.cause!.message).toMatch(/^Expression expected \(line 1\); caused by: Syntax Error$/);
    const text = JSON.stringify(out);
    expect(text).not.toMatch(/Stack backtrace|<unknown>|_ZN|`----/);
    expect(out.cause!.stack!.split('\n').slice(1).every((l) => l.startsWith('    at '))).toBe(true);
  });

  it('never throws for any value (property)', () => {
    // The hostile values above are not generated here: fast-check itself cannot handle a revoked Proxy.
    const values = fc.oneof(
      fc.anything({ withBigInt: true, withMap: true, withSet: true, withNullPrototype: true, withBoxedValues: true }),
      fc.tuple(fc.string(), fc.anything(), fc.dictionary(fc.string(), fc.anything())).map(([message, cause, props]) =>
        Object.assign(new Error(message, { cause }), props),
      ),
    );
    fc.assert(
      fc.property(values, (value) => {
        const out = serializeError(value);
        JSON.stringify(out);
        return typeof out.type === 'string' && typeof out.message === 'string';
      }),
      { numRuns: 500 },
    );
  });

  it('as pino\'s err serializer, every hostile value still gives a line whose msg is the message given', () => {
    const lines: string[] = [];
    const log = pino({ serializers: { err: serializeError } }, { write: (line: string) => void lines.push(line) });
    for (const [, value] of hostile()) log.error({ err: value }, 'failed');
    expect(lines).toHaveLength(hostile().length);
    for (const line of lines) expect(JSON.parse(line).msg).toBe('failed');
    log.error(new Error('outer', { cause: new Error('inner') }));
    const last = JSON.parse(lines.at(-1)!);
    expect(last.msg).toBe('outer');
    expect(last.err).toMatchObject({ message: 'outer', cause: { message: 'inner' } });
  });
});
