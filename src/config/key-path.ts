/**
 * An issue's path is the key's path in the document as written, joined with
 * `.` (API.md section 3): `config.cache.ttl`, `hosts.example.com.roles.1`.
 * @module
 */

/** `path.key`, leaving out an empty part (as the issue paths always did). */
export function keyPath(path: string, key: string): string {
  if (key === '') return path;
  return path === '' ? key : `${path}.${key}`;
}
