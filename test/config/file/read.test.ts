/**
 * readConfigFile: the one function that reads, with the size known before
 * reading and the modules checked relative to the file.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, openSync, ftruncateSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigFileError, checkModules, readConfigFile } from '../../../src/index.js';
import { issuesOf } from './helpers.js';

const ROOT = join(import.meta.dirname, '..', '..', '..', '.tmp');
mkdirSync(ROOT, { recursive: true });
const dir = mkdtempSync(join(ROOT, 'config-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function refusal(promise: Promise<unknown>): Promise<ConfigFileError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigFileError);
  return err as ConfigFileError;
}

describe('readConfigFile', () => {
  it('reads and parses a file, its modules relative to its directory', async () => {
    mkdirSync(join(dir, 'roles'), { recursive: true });
    write('roles/api.js', 'export default {}');
    const file = write('ok.yaml', 'modules: [./roles/api.js, some-package]\nroles: [api]\n');
    const cf = await readConfigFile(file, { env: {} });
    expect(cf.file).toBe(file);
    expect(cf.settings.modules).toEqual(['./roles/api.js', 'some-package']);
    expect(cf.document).toEqual({ roles: ['api'] });
  });

  it('a module file that does not exist is reported at its item', async () => {
    const file = write('missing.yaml', 'modules:\n  - ./roles/api.js\n  - ./roles/nope.js\n');
    const err = await refusal(readConfigFile(file));
    expect(issuesOf(err)).toEqual([[3, 5, 'modules.1', `no such file: ${join(dir, 'roles', 'nope.js')}`]]);
    expect([err.file, err.line, err.column]).toEqual([file, 3, 5]);
  });

  it('a module that is a directory', async () => {
    const file = write('dir.yaml', 'modules: [./roles]\n');
    const err = await refusal(readConfigFile(file));
    expect(issuesOf(err)).toEqual([[1, 11, 'modules.0', `not a file: ${join(dir, 'roles')}`]]);
  });

  it('checkModules can be run on its own, and skipped in readConfigFile', async () => {
    const file = write('skip.yaml', 'modules: [./nope.js]\n');
    const cf = await readConfigFile(file, { checkModules: false });
    expect(await checkModules(cf)).toEqual([{ path: 'modules.0', message: `no such file: ${join(dir, 'nope.js')}`, line: 1, column: 11 }]);
  });

  it('a file that does not exist, or is a directory: at 1:1', async () => {
    const err = await refusal(readConfigFile(join(dir, 'absent.yaml')));
    expect(issuesOf(err)).toEqual([[1, 1, '', 'can not read the file: no such file (ENOENT)']]);
    expect(err.message).toBe(`${join(dir, 'absent.yaml')}:1:1: can not read the file: no such file (ENOENT)`);
    expect(issuesOf(await refusal(readConfigFile(dir)))).toEqual([[1, 1, '', 'can not read the file: it is a directory']]);
  });

  it('a 50 MB file is refused from its size, without reading it', async () => {
    const file = join(dir, 'big.yaml');
    const fd = openSync(file, 'w');
    ftruncateSync(fd, 50 * 1024 * 1024); // sparse: no 50 MB written, none read
    closeSync(fd);
    const before = process.memoryUsage().arrayBuffers;
    const err = await refusal(readConfigFile(file));
    expect(issuesOf(err)).toEqual([[1, 1, '', 'the file is 50 MiB (52428800 bytes), more than the limit of 2 MiB (2097152 bytes)']]);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(5 * 1024 * 1024);
  });

  it('the limit can be set lower', async () => {
    const file = write('small-limit.yaml', `roles: [${'a, '.repeat(100)}b]\n`);
    const err = await refusal(readConfigFile(file, { limits: { maxBytes: 100 } }));
    expect(err.issues[0].message).toMatch(/more than the limit of 100 bytes \(100 bytes\)$/);
  });

  it('a JSON file by its extension', async () => {
    const file = write('conf.json', '{ "roles": ["a"], "http": { "port": 8080 } }');
    const cf = await readConfigFile(file);
    expect(cf.settings.http).toEqual({ host: '127.0.0.1', port: 8080 });
  });
});
