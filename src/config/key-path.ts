/**
 * An issue's path is the key's path in the document as written, joined with
 * `.` (API.md section 3): `config.cache.ttl`, `hosts.example.com.roles.1`.
 * @module
 */
export function keyPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
