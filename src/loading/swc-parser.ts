/**
 * Which swc parser reads a file, by its extension: both loaders ask swc to
 * read role files (the managed one to transform them, the native one to check
 * a saved file's syntax), and must read them alike.
 * @module
 */
import type { ParserConfig } from '@swc/core';

export const TYPESCRIPT_FILE = /\.[cm]?tsx?$/i;
export const JSX_FILE = /\.[jt]sx$/i;

export function parserFor(file: string): ParserConfig {
  const jsx = JSX_FILE.test(file);
  return TYPESCRIPT_FILE.test(file) ? { syntax: 'typescript', tsx: jsx, decorators: true } : { syntax: 'ecmascript', jsx };
}
