/**
 * What a key under `hosts:` may be: a DNS name as RFC 1123 writes it (labels
 * of lowercase letters, digits and hyphens, separated by dots), or an IPv4
 * address. Requests are matched by their Host header, lowercased and without
 * its port, so a key with capitals, a port or a trailing dot would never
 * match (or match beside its lowercase twin).
 * @module
 */
import { domainToASCII } from 'node:url';

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Why `name` is not a host name, or undefined when it is one. */
export function hostNameProblem(name: string): string | undefined {
  if (name === '') return 'a host name can not be empty';
  if (name === '*') return '"*" is not a host: it names the global roles in status; enable global roles under the top-level roles';
  const port = /^(.*):(\d*)$/.exec(name);
  if (port && !port[1].includes(':')) return `a host name has no port: write "${port[1]}" (requests are matched by host, whatever their port)`;
  if (name.endsWith('.') && name.length > 1) return `write the host name without the trailing dot: "${name.slice(0, -1)}"`;
  if (name !== name.toLowerCase() && isHostName(name.toLowerCase())) return `host names are written in lowercase: "${name.toLowerCase()}"`;
  if (isHostName(name)) return undefined;
  if (/[^\x00-\x7f]/.test(name)) {
    const ascii = domainToASCII(name);
    if (ascii && isHostName(ascii)) return `write the internationalised name in its ASCII form: "${ascii}"`;
  }
  if (name.length > 253) return `a host name is at most 253 characters, this one is ${name.length}`;
  return `"${name}" is not a host name: labels of lowercase letters, digits and hyphens (not at either end), separated by dots`;
}

export function isHostName(name: string): boolean {
  return name.length <= 253 && name.split('.').every((label) => LABEL.test(label));
}
