/**
 * Reading anything thrown without throwing (role code and etcd may hand us
 * any value), with the core's public readers.
 * @module
 */
import { errorSummary, isInstance, messageOf, readSafely as read } from '../index.js';
import type { ErrorInfo } from './records.js';

/** `{ name, message }` of anything thrown, never throwing: the core's errorSummary, as the records' type. */
export const errorInfo: (err: unknown) => ErrorInfo = errorSummary;

/** `value instanceof ctor`, false when asking throws (the core's isInstance). */
export const isA = isInstance;

/** A ValidateConfigError's issues as plain `{ path, message }` (at most 100), else none. */
export function issuesOf(err: unknown): { path: string; message: string }[] {
  const issues = read(err, 'issues');
  if (!Array.isArray(issues)) return [];
  const out: { path: string; message: string }[] = [];
  try {
    for (const issue of issues.slice(0, 100)) {
      const path = read(issue, 'path');
      const message = read(issue, 'message');
      out.push({ path: typeof path === 'string' ? path : '', message: typeof message === 'string' ? message : messageOf(message) });
    }
  } catch {
    // an issues list whose items throw when read: keep what was read
  }
  return out;
}
