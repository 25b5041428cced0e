/**
 * The one place the configuration part reads files: the configuration file
 * itself (size checked before it is read, and never more than the limit read
 * even when the size lies: a FIFO, a file still growing) and the existence of
 * the role modules it lists.
 * @module
 */
import { open, stat } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigFileError, type ConfigIssue } from '../../errors.js';
import { resolveLimits } from './limits.js';
import { parseConfigFile, type ConfigFile, type ParseOptions } from './parse.js';
import { overLimit, tooLarge } from './text.js';

export interface ReadOptions extends Omit<ParseOptions, 'file'> {
  /** Check that each path-like entry of `modules` exists (default true). */
  checkModules?: boolean;
}

/**
 * Reads and parses a configuration file, and checks that its modules exist.
 * Throws ConfigFileError (a file that can not be read: at line 1, column 1).
 */
export async function readConfigFile(file: string, options: ReadOptions = {}): Promise<ConfigFile> {
  const limits = resolveLimits(options.limits);
  const bytes = await readBounded(file, limits.maxBytes);
  const parsed = parseConfigFile(bytes, { ...options, file });
  if (options.checkModules !== false) {
    const issues = await checkModules(parsed);
    if (issues.length > 0) throw new ConfigFileError(file, issues[0].line ?? 1, issues[0].column ?? 1, issues);
  }
  return parsed;
}

async function readBounded(file: string, maxBytes: number): Promise<Uint8Array> {
  const refuse = (message: string): never => {
    throw new ConfigFileError(file, 1, 1, [{ path: '', message, line: 1, column: 1 }]);
  };
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    return refuse(`can not read the file: ${describeFsError(err)}`);
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) return refuse('can not read the file: it is a directory');
    if (info.size > maxBytes) return refuse(tooLarge(info.size, maxBytes));
    // The size may lie (a FIFO, /proc, a file being written): read at most one byte more than the limit.
    let buffer = Buffer.alloc(Math.min(maxBytes + 1, Math.max(info.size + 1, 64 * 1024)));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (buffer.length > maxBytes) return refuse(overLimit(maxBytes));
        const bigger = Buffer.alloc(Math.min(maxBytes + 1, buffer.length * 2));
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) return refuse(tooLarge(length, maxBytes));
    return buffer.subarray(0, length);
  } catch (err) {
    if (err instanceof ConfigFileError) throw err;
    return refuse(`can not read the file: ${describeFsError(err)}`);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * Each path-like module (`./x.js`, `../x.ts`, `/abs/x.js`, `file:` URL) that is
 * not a file, relative to the configuration file's directory, as an issue at
 * its item (`modules.1`). Package names are left to the runtime to resolve.
 */
export async function checkModules(file: ConfigFile): Promise<ConfigIssue[]> {
  const base = dirname(resolve(file.file));
  const issues: ConfigIssue[] = [];
  for (const [index, entry] of file.settings.modules.entries()) {
    const path = modulePathOf(entry, base);
    if (path === undefined) continue;
    const info = await stat(path).catch((err: unknown) => err);
    let problem: string | undefined;
    if (info instanceof Error) {
      problem = (info as { code?: unknown }).code === 'ENOENT' ? `no such file: ${path}` : `can not read ${path}: ${describeFsError(info)}`;
    }
    else if (!(info as { isFile(): boolean }).isFile()) problem = `not a file: ${path}`;
    if (problem) {
      const key = `modules.${index}`;
      const at = file.locate(key) ?? { line: 1, column: 1 };
      issues.push({ path: key, message: problem, ...at });
    }
  }
  return issues;
}

function modulePathOf(entry: string, base: string): string | undefined {
  try {
    if (entry.startsWith('file:')) return fileURLToPath(entry);
  } catch {
    return undefined;
  }
  if (entry.startsWith('.') || isAbsolute(entry)) return resolve(base, entry);
  return undefined;
}

function describeFsError(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file (ENOENT)';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code})`;
    case 'EISDIR':
      return 'it is a directory (EISDIR)';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}
