/**
 * Request bodies: read within the body limit, parsed as JSON, checked with
 * zod. Role names are checked against the runtime's registered roles; a module
 * path or anything else that is not a role's name is refused, never loaded.
 * @module
 */
import type { Context } from 'hono';
import { z } from 'zod';
import type { Runtime } from '../index.js';
import { badRequest } from './errors.js';

export const rolesBody = z.strictObject({
  roles: z.array(z.string().min(1).max(1000)).max(10_000).optional(),
});

/** The body as JSON; `undefined` when empty. */
export async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw badRequest(`The body is not JSON: ${err instanceof Error ? err.message : 'unreadable'}`);
  }
}

function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

/** `{ roles?: string[] }`, every name a registered role's (rt.getAllRoles()). */
export async function rolesOf(c: Context, rt: Runtime): Promise<string[] | undefined> {
  const parsed = rolesBody.safeParse((await jsonBody(c)) ?? {});
  if (!parsed.success) throw badRequest('Invalid body: expected { "roles"?: string[] }', issuesOf(parsed.error));
  const { roles } = parsed.data;
  if (roles === undefined) return undefined;
  const known = new Set(rt.getAllRoles());
  const unknown = roles.flatMap((name, i) => (known.has(name) ? [] : [{ name: JSON.stringify(name), path: `roles.${i}` }]));
  if (unknown.length > 0) {
    const issues = unknown.map((u) => ({ path: u.path, message: `unknown role ${u.name}` }));
    throw badRequest(`Unknown role${unknown.length > 1 ? 's' : ''}: ${unknown.map((u) => u.name).join(', ')}`, issues);
  }
  return roles;
}

/** The token of `POST /login`: a form field or a JSON `{ "token": ... }`. */
export async function loginToken(c: Context): Promise<string> {
  const type = c.req.header('content-type') ?? '';
  if (/application\/x-www-form-urlencoded/i.test(type)) {
    const token = new URLSearchParams(await c.req.text()).get('token');
    if (token !== null) return token;
  } else {
    const parsed = z.strictObject({ token: z.string() }).safeParse(await jsonBody(c));
    if (parsed.success) return parsed.data.token;
  }
  throw badRequest('Expected a token: a form field "token", or { "token": "..." }');
}
