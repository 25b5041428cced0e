/**
 * The admin API as the command line reaches it: one JSON request, and what
 * came back — or why nothing did (exit code 3, API.md section 3).
 * @module
 */
export interface AdminTarget {
  /** Base URL of the admin listener, e.g. http://127.0.0.1:8081 */
  url: string;
  token?: string;
  /** Give up on a request after this long (default 30 s: a reload may take a while). */
  timeoutMs?: number;
}

export interface AdminAnswer {
  status: number;
  body: unknown;
}

/** The admin API could not be reached (refused, timed out, not HTTP). */
export class UnreachableError extends Error {
  override name = 'UnreachableError';
}

export async function adminRequest(target: AdminTarget, method: 'GET' | 'POST', path: string, body?: unknown): Promise<AdminAnswer> {
  let url: URL;
  try {
    url = new URL(path.replace(/^\//, ''), target.url.endsWith('/') ? target.url : `${target.url}/`);
  } catch {
    throw new UnreachableError(`${JSON.stringify(target.url)} is not a URL`);
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  if (target.token) headers.authorization = `Bearer ${target.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(target.timeoutMs ?? 30_000),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new UnreachableError(`the admin API at ${url.origin} could not be reached: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
  }
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON (a proxy's error page): keep the text.
  }
  return { status: res.status, body: parsed };
}

/** The `{ error: { name, message, issues? } }` of an admin API error answer, read defensively. */
export function errorOf(answer: AdminAnswer): { name: string; message: string; issues?: { path: string; message: string; instance?: string }[] } {
  const error = (answer.body as { error?: { name?: unknown; message?: unknown; issues?: unknown } } | undefined)?.error;
  const name = typeof error?.name === 'string' ? error.name : `HTTP ${answer.status}`;
  const message = typeof error?.message === 'string' ? error.message : typeof answer.body === 'string' ? answer.body.slice(0, 500) : '';
  const issues = Array.isArray(error?.issues)
    ? error.issues
        .filter((i): i is { path: unknown; message: unknown; instance?: unknown } => typeof i === 'object' && i !== null)
        .map((i) => ({ path: String(i.path ?? ''), message: String(i.message ?? ''), ...(typeof i.instance === 'string' && { instance: i.instance }) }))
    : undefined;
  return { name, message, ...(issues && { issues }) };
}
