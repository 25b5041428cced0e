/**
 * One shape for every error the admin API answers: `{ error: { name, message, issues? } }`
 * (docs/operations.md). Whatever was thrown, describing it never throws.
 * @module
 */
import { RolekitError, ValidateConfigError, errorSummary, isInstance as isA, messageOf, readSafely as read } from '../index.js';

export interface ErrorBody {
  error: { name: string; message: string; issues?: IssueBody[] };
}

/** An error the admin API raises itself (a bad body, no token): its own name and status. */
export class AdminRequestError extends Error {
  readonly status: number;
  readonly issues: { path: string; message: string }[] | undefined;

  constructor(name: string, status: number, message: string, issues?: { path: string; message: string }[]) {
    super(message);
    this.name = name;
    this.status = status;
    this.issues = issues;
  }
}

export function badRequest(message: string, issues?: { path: string; message: string }[]): AdminRequestError {
  return new AdminRequestError('BadRequest', 400, message, issues);
}

/** The HTTP status for a thrown value: a rolekit error's own `status` (the contract's table, src/errors.ts), else 500. */
export function statusOf(err: unknown): number {
  if (isA(err, AdminRequestError)) return (err as AdminRequestError).status;
  if (isA(err, RolekitError)) {
    const status = read(err, 'status');
    return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599 ? status : 500;
  }
  return 500;
}

/** One issue as answered: its key and message, and (a cluster's apply) the member that raised it. */
export interface IssueBody {
  path: string;
  message: string;
  instance?: string;
}

/** Issues of a ValidateConfigError (or of the admin's own 400), each made `{ path, message, instance? }` strings. */
function issuesOf(err: unknown): ErrorBody['error']['issues'] {
  if (!isA(err, ValidateConfigError) && !isA(err, AdminRequestError)) return undefined;
  const issues = read(err, 'issues');
  if (!Array.isArray(issues)) return undefined;
  const out: IssueBody[] = [];
  for (let i = 0; i < Math.min(issues.length, 1000); i++) {
    const issue: unknown = issues[i];
    const path = read(issue, 'path');
    const message = read(issue, 'message');
    const instance = read(issue, 'instance');
    out.push({
      path: typeof path === 'string' ? path : '',
      message: typeof message === 'string' ? message : messageOf(message),
      ...(typeof instance === 'string' && { instance }),
    });
  }
  return out;
}

/** The body of an error answer. Never throws. */
export function errorBody(err: unknown): ErrorBody {
  const { name, message } = errorSummary(err);
  const issues = issuesOf(err);
  return { error: issues ? { name, message, issues } : { name, message } };
}

export function errorResponse(err: unknown, headers?: Record<string, string>): Response {
  const status = statusOf(err);
  return Response.json(errorBody(err), { status, ...(headers ? { headers } : {}) });
}
