/**
 * How the commands print: lines to stdout and stderr (or to the writers a
 * caller gives), a file that cannot be used, and the issues of a refusal.
 * @module
 */
import { ConfigFileError, formatConfigFileError, messageOf } from '../index.js';

export interface Lines {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** `given`'s writers, else the process's streams, a line at a time. */
export function linesTo(given: Partial<Lines>): Lines {
  return {
    out: given.out ?? ((line) => process.stdout.write(`${line}\n`)),
    err: given.err ?? ((line) => process.stderr.write(`${line}\n`)),
  };
}

/** A file that could not be read, parsed or validated: `file:line:col key: message` lines, else `file: message`. */
export function fileProblem(file: string, error: unknown): string[] {
  return error instanceof ConfigFileError ? formatConfigFileError(error) : [`${file}: ${messageOf(error)}`];
}

/** One issue of a refusal, indented: `instance: path: message`, leaving out what is empty. */
export function issueLine(issue: { path: string; message: string; instance?: string }): string {
  const where = [issue.instance, issue.path].filter((part) => part !== undefined && part !== '').join(': ');
  return `  ${where ? `${where}: ` : ''}${issue.message}`;
}
