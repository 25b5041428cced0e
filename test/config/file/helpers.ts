import { expect } from 'vitest';
import { ConfigFileError, parseConfigFile, type ConfigFile } from '../../../src/index.js';
import type { ParseOptions } from '../../../src/config/file/parse.js';

export type Options = Partial<ParseOptions>;

export function parse(text: string | Uint8Array, options: Options = {}): ConfigFile {
  return parseConfigFile(text, { file: 'rolekit.yaml', env: {}, ...options });
}

/** The ConfigFileError that parsing `text` throws (the test fails if it parses). */
export function refusal(text: string | Uint8Array, options: Options = {}): ConfigFileError {
  try {
    parse(text, options);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigFileError);
    return err as ConfigFileError;
  }
  throw new Error('parsed without an error');
}

/** `[line, column, key, message]` of each issue. */
export function issuesOf(err: ConfigFileError): [number | undefined, number | undefined, string, string][] {
  return err.issues.map((i) => [i.line, i.column, i.path, i.message]);
}

/** The only issue of a refusal, after checking that the error's own position is its position. */
export function onlyIssue(text: string | Uint8Array, options: Options = {}): [number | undefined, number | undefined, string, string] {
  const err = refusal(text, options);
  expect(err.file).toBe(options.file ?? 'rolekit.yaml');
  expect(err.issues).toHaveLength(1);
  expect([err.line, err.column]).toEqual([err.issues[0].line, err.issues[0].column]);
  return issuesOf(err)[0];
}
