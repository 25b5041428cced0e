/**
 * Reading anything thrown without throwing (role code and etcd may hand us
 * any value): the cluster's copy of the core's rule, built on the public
 * `serializeError`.
 * @module
 */
import { isInstance, readSafely as read, serializeError } from '../index.js';
import type { ErrorInfo } from './records.js';

export function errorInfo(err: unknown): ErrorInfo {
  const s = serializeError(err);
  return { name: typeof s.type === 'string' ? s.type : 'Error', message: typeof s.message === 'string' ? s.message : '' };
}

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
      out.push({ path: typeof path === 'string' ? path : '', message: typeof message === 'string' ? message : errorInfo(message).message });
    }
  } catch {
    // an issues list whose items throw when read: keep what was read
  }
  return out;
}
