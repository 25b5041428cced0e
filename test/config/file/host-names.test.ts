/**
 * Keys under `hosts:` are host names (RFC 1123): what requests' Host
 * headers can match.
 */
import { describe, expect, it } from 'vitest';
import { hostNameProblem } from '../../../src/config/file/host-names.js';
import { issuesOf, parse, refusal } from './helpers.js';

describe('host names', () => {
  it.each(['example.com', 'a.example.com', 'conference.example.com', 'localhost', 'x1-2.example', '127.0.0.1', 'a'.repeat(63) + '.com'])(
    'accepts %s',
    (name) => {
      expect(hostNameProblem(name)).toBeUndefined();
    },
  );

  it.each([
    ['Example.COM', 'host names are written in lowercase: "example.com"'],
    ['example.com:5222', 'a host name has no port: write "example.com" (requests are matched by host, whatever their port)'],
    ['example.com.', 'write the host name without the trailing dot: "example.com"'],
    ['*', '"*" is not a host: it names the global roles in status; enable global roles under the top-level roles'],
    ['', 'a host name can not be empty'],
    ['a_b.com', '"a_b.com" is not a host name: labels of lowercase letters, digits and hyphens (not at either end), separated by dots'],
    ['-a.com', '"-a.com" is not a host name: labels of lowercase letters, digits and hyphens (not at either end), separated by dots'],
    ['a..com', '"a..com" is not a host name: labels of lowercase letters, digits and hyphens (not at either end), separated by dots'],
    ['a b', '"a b" is not a host name: labels of lowercase letters, digits and hyphens (not at either end), separated by dots'],
    ['a'.repeat(64) + '.com', `"${'a'.repeat(64)}.com" is not a host name: labels of lowercase letters, digits and hyphens (not at either end), separated by dots`],
    ['bücher.example', 'write the internationalised name in its ASCII form: "xn--bcher-kva.example"'],
  ])('refuses %j', (name, message) => {
    expect(hostNameProblem(name)).toBe(message);
  });

  it('in a file: each bad host at its key', () => {
    const err = refusal('hosts:\n  example.com: { roles: [a] }\n  Example.com: { roles: [a] }\n  "a.com:80": {}\n');
    expect(issuesOf(err)).toEqual([
      [3, 3, 'hosts.Example.com', 'host names are written in lowercase: "example.com"'],
      [4, 3, 'hosts.a.com:80', 'a host name has no port: write "a.com" (requests are matched by host, whatever their port)'],
    ]);
    expect(parse('hosts:\n  example.com: {}\n').document.hosts).toEqual({ 'example.com': {} });
  });
});
