/**
 * Which runtime settings a re-read of the file changed. The document
 * (`roles`, `config`, `hosts`) is applied on every re-read, and a new
 * `modules` list is a code reload (service.ts); the other settings are read
 * once, when the service starts: a listener that moves or a loader that
 * changes would each mean a new process. A changed setting is therefore
 * reported (a warning per key, saying so) and the rest of the file still
 * applies.
 * @module
 */
import { isDeepStrictEqual } from 'node:util';
import type { ConfigFileSettings } from '../../index.js';

export interface SettingChange {
  key: string;
  effect: string;
}

/** Settings a re-read takes: not reported as needing a restart. */
const LIVE = new Set(['modules']);

/** The settings that differ, other than those a re-read takes. */
export function settingsChanges(before: ConfigFileSettings, after: ConfigFileSettings): SettingChange[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changes: SettingChange[] = [];
  for (const key of keys) {
    if (LIVE.has(key)) continue;
    const [a, b] = [(before as unknown as Record<string, unknown>)[key], (after as unknown as Record<string, unknown>)[key]];
    if (!isDeepStrictEqual(a, b)) changes.push({ key, effect: 'takes effect at the next start' });
  }
  return changes;
}
