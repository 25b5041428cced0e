/**
 * Hostile files: too large, too deep, billion laughs, binary bytes. Each is
 * refused quickly with a message that says which limit, and nothing crashes.
 */
import { describe, expect, it } from 'vitest';
import { CONFIG_FILE_LIMITS } from '../../../src/index.js';
import { onlyIssue, parse } from './helpers.js';

describe('size', () => {
  it('text over the limit is refused at 1:1, naming the limit', () => {
    const text = `config: { a: "${'x'.repeat(2000)}" }\n`;
    expect(onlyIssue(text, { limits: { maxBytes: 1024 } })).toEqual([
      1,
      1,
      '',
      `the file is ${text.length} bytes (${text.length} bytes), more than the limit of 1 KiB (1024 bytes)`,
    ]);
  });

  it('the default limit is 2 MiB', () => {
    expect(CONFIG_FILE_LIMITS.maxBytes).toBe(2 * 1024 * 1024);
    const big = new Uint8Array(CONFIG_FILE_LIMITS.maxBytes + 1).fill(0x20);
    expect(onlyIssue(big)[3]).toBe('the file is 2.0 MiB (2097153 bytes), more than the limit of 2 MiB (2097152 bytes)');
  });
});

describe('depth', () => {
  it.each([
    ['flow lists', 'config: ' + '['.repeat(10_000) + ']'.repeat(10_000)],
    ['flow mappings', 'config: ' + '{a: '.repeat(10_000) + '1' + '}'.repeat(10_000)],
    ['block lists', 'config:\n' + '- '.repeat(10_000) + 'x\n'],
  ])('10 000 levels of %s are refused without overflowing the stack', (_kind, text) => {
    const [line, , key, message] = onlyIssue(text);
    expect(line).toBe(1 + (text.includes('\n') ? 1 : 0));
    expect(key.startsWith('config')).toBe(true);
    expect(message).toBe('nested more than 100 levels deep (the limit)');
  });

  it('100 levels (the root, config and 98 nested lists) are fine', () => {
    const cf = parse('config: { a: ' + '['.repeat(98) + ']'.repeat(98) + ' }');
    expect(cf.document.config).toBeDefined();
  });
});

describe('aliases', () => {
  it('billion laughs is refused at its first alias', () => {
    const lol = [
      'config:',
      '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      '  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      '  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      '  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      '  e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
    ].join('\n');
    expect(onlyIssue(lol)).toEqual([
      3,
      10,
      'config.b.0',
      'aliases expand too far (more than the limit of 100 per alias, as a "billion laughs" file does): use fewer aliases',
    ]);
  });

  it('a few aliases are fine', () => {
    expect(parse('config:\n  a: &x { n: 1 }\n  b: *x\n  c: *x\n').document.config).toEqual({ a: { n: 1 }, b: { n: 1 }, c: { n: 1 } });
  });

  it('an alias to nothing is a YAML error', () => {
    expect(onlyIssue('config:\n  a: *nope\n')).toEqual([2, 3, 'config.a', 'unknown alias *nope: the anchor &nope must come before it']);
  });
});

describe('bytes that are not text', () => {
  it('invalid UTF-8, at its line and column and byte', () => {
    const bytes = Buffer.concat([Buffer.from('roles: [a]\nconfig: { a: "'), Buffer.from([0xc3, 0x28]), Buffer.from('" }\n')]);
    expect(onlyIssue(bytes)).toEqual([2, 15, '', 'not UTF-8 text: invalid byte 0xC3 at byte 25 (is this a binary file?)']);
  });

  it('a literal U+FFFD is text; a bad byte after it is found', () => {
    const bytes = Buffer.concat([Buffer.from('config: { a: "\uFFFD", b: "'), Buffer.from([0xff]), Buffer.from('" }')]);
    expect(onlyIssue(bytes)).toEqual([1, 23, '', 'not UTF-8 text: invalid byte 0xFF at byte 24 (is this a binary file?)']);
    expect(parse(Buffer.from('config: { a: "\uFFFD" }')).document.config).toEqual({ a: '\uFFFD' });
  });

  it('NUL bytes and other control characters', () => {
    expect(onlyIssue('roles: [a]\nconfig: { a: "x\u0000" }\n')).toEqual([2, 16, '', 'the file holds a NUL byte (is this a binary file?)']);
    expect(onlyIssue(Buffer.from('roles: [a\u0007]'))).toEqual([1, 10, '', 'control character U+0007 is not allowed in a configuration file']);
  });

  it('binary garbage (a PNG header) is refused at its first bad byte', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]);
    expect(onlyIssue(png)).toEqual([1, 1, '', 'not UTF-8 text: invalid byte 0x89 at byte 0 (is this a binary file?)']);
  });
});
