import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { logThrown } from '../../src/logging/log-thrown.js';
import { HOSTILE_THROWN } from '../hostile.js';

/** A pino logger with its default serializers, writing JSON lines into `lines`. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: 'info' }, stream), lines };
}

describe('logThrown', () => {
  it.each(HOSTILE_THROWN)('logs %s through plain pino without throwing', async (_name, make) => {
    const { log, lines } = capture();
    const value = make();
    expect(() => logThrown(log, 'warn', { role: 'a' }, value, 'stop failed')).not.toThrow();
    // An Error whose cause is hostile breaks pino's err serializer too.
    expect(() => logThrown(log, 'error', { role: 'a' }, new Error('wrapped', { cause: value }), 'failed')).not.toThrow();
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => [l.msg, l.role])).toEqual([
      ['stop failed', 'a'],
      ['failed', 'a'],
    ]);
  });

  it('keeps the full error when the logger can serialise it', async () => {
    const { log, lines } = capture();
    logThrown(log, 'error', {}, new RangeError('out of range'), 'failed');
    await new Promise((r) => setImmediate(r));
    expect(lines[0]?.err).toMatchObject({ type: 'RangeError', message: 'out of range', stack: expect.any(String) });
  });

  it('survives a logger that throws for everything', () => {
    const broken = () => {
      throw new Error('logger down');
    };
    expect(() => logThrown({ info: broken, warn: broken, error: broken }, 'error', {}, new Error('x'), 'failed')).not.toThrow();
  });
});
