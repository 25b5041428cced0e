/**
 * Issues as an operator reads them: a ValidateConfigError (paths into the
 * document) placed in the file it came from, and the lines `rolekit validate`
 * prints, `<file>:<line>:<col> <key>: <message>`.
 * @module
 */
import { ConfigFileError, type ConfigIssue, type ValidateConfigError } from '../../errors.js';
import { readSafely } from '../../thrown.js';
import type { ConfigFile } from './parse.js';

/**
 * The ConfigFileError of a ValidateConfigError raised for `file.document`:
 * each issue keeps its fields and gets the line and column of its path (of
 * the nearest key on the way when the path is not in the file; else 1:1).
 */
export function locateIssues(file: ConfigFile, err: ValidateConfigError): ConfigFileError {
  const given = readSafely(err, 'issues');
  const issues: ConfigIssue[] = (Array.isArray(given) ? (given as unknown[]) : []).map((issue) => {
    const path = readSafely(issue, 'path');
    const message = readSafely(issue, 'message');
    const key = typeof path === 'string' ? path : '';
    const at = file.locate(key) ?? file.locate('') ?? { line: 1, column: 1 };
    const copy = typeof issue === 'object' && issue !== null ? { ...(issue as object) } : {};
    return { ...copy, path: key, message: typeof message === 'string' ? message : String(message), line: at.line, column: at.column };
  });
  const first = issues[0] ?? { line: 1, column: 1 };
  return new ConfigFileError(file.file, first.line ?? 1, first.column ?? 1, issues, { cause: err });
}

/** One line per issue: `rolekit.yaml:3:9 http.port: expected …` (no key for the file as a whole). */
export function formatConfigFileError(err: ConfigFileError): string[] {
  const issues = err.issues.length > 0 ? err.issues : [{ path: '', message: err.message }];
  return issues.map((issue) => {
    const where = `${err.file}:${issue.line ?? err.line}:${issue.column ?? err.column}`;
    return issue.path ? `${where} ${issue.path}: ${issue.message}` : `${where} ${issue.message}`;
  });
}
