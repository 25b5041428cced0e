/**
 * Real files in a temporary folder under the repo's .tmp/, so that bare
 * specifiers (`zod`, `yaml`) resolve from the repo's node_modules exactly as
 * they would for an application's role files.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { createManagedLoader, type ManagedLoader } from '../../../src/loading/managed/index.js';
import type { LoaderOptions } from '../../../src/loading/types.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface Fixture {
  readonly dir: string;
  /** Absolute path of a file in the fixture. */
  path(name: string): string;
  /** Writes (or overwrites) files; names may contain folders. */
  write(files: Record<string, string>): void;
  remove(): void;
}

/** What the running test made, undone newest first (loaders close before their folders go). */
const undo: (() => void)[] = [];

/** Call once per test file: after each test, close its loaders and remove its fixtures. */
export function cleanUpAfterEach(): void {
  afterEach(() => {
    for (const step of undo.splice(0).reverse()) step();
  });
}

/** A managed loader closed after the test (closing twice is harmless). */
export function managedLoader(options?: LoaderOptions): ManagedLoader {
  const loader = createManagedLoader(options);
  undo.push(() => loader.close());
  return loader;
}

export function fixture(files: Record<string, string> = {}): Fixture {
  const base = path.join(repoRoot, '.tmp');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(path.join(base, 'managed-test-'));
  const f: Fixture = {
    dir,
    path: (name) => path.join(dir, name),
    write(more) {
      for (const [name, text] of Object.entries(more)) {
        const file = path.join(dir, name);
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, text);
      }
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  f.write(files);
  undo.push(f.remove);
  return f;
}

/** The line (1-based) of the first line of `text` containing `marker`. */
export function lineOf(text: string, marker: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(marker));
  if (index < 0) throw new Error(`marker ${marker} not found`);
  return index + 1;
}
