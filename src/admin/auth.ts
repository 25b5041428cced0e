/**
 * The admin token: a bearer header, or the cookie a browser got from `GET /?token=`
 * or `POST /login` (docs/operations.md, Token and cookie). Compared in constant
 * time over fixed-length digests, so that neither the token's length nor its
 * prefix leaks through timing.
 * @module
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const COOKIE_NAME = 'rolekit_admin';

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

export class TokenCheck {
  readonly #token: Buffer;
  /** What the cookie holds: an HMAC of the token, so that a browser never stores the token itself. */
  readonly cookieValue: string;
  readonly #cookie: Buffer;

  constructor(token: string) {
    this.#token = digest(token);
    this.cookieValue = createHmac('sha256', token).update('rolekit admin cookie v1').digest('base64url');
    this.#cookie = digest(this.cookieValue);
  }

  /** Whether `given` is the token. */
  isToken(given: string): boolean {
    return timingSafeEqual(digest(given), this.#token);
  }

  /** Whether an `Authorization` header value or a cookie value lets the request in. */
  allows(authorization: string | undefined, cookie: string | undefined): boolean {
    // Both are compared, always, so that which one is present does not show in the timing either.
    const bearer = /^Bearer +(\S+) *$/i.exec(authorization ?? '')?.[1];
    const byHeader = timingSafeEqual(digest(bearer ?? ''), this.#token) && bearer !== undefined;
    const byCookie = timingSafeEqual(digest(cookie ?? ''), this.#cookie) && cookie !== undefined;
    return byHeader || byCookie;
  }
}

/** The token option checked: undefined (no token) or a non-empty string. */
export function tokenOption(token: unknown): string | undefined {
  if (token === undefined) return undefined;
  if (typeof token !== 'string' || token === '') {
    throw new TypeError('createAdmin: token must be a non-empty string, or left out (then the admin API must be served on loopback only)');
  }
  return token;
}
