/**
 * The limits of a configuration file (docs/configuration.md, Limits). Each
 * one keeps a hostile or broken file from costing more than a refusal: a
 * configuration is a few kilobytes, and none of these is near what one needs.
 * @module
 */

export interface ConfigFileLimits {
  /** Largest file read, in bytes; `readConfigFile` checks the size before it reads. */
  maxBytes: number;
  /** Deepest nesting of lists and mappings (the YAML composer recurses: 10 000 levels overflow the stack). */
  maxDepth: number;
  /** yaml's `maxAliasCount`: how far aliases may expand (billion laughs). */
  maxAliasCount: number;
}

export const CONFIG_FILE_LIMITS: Readonly<ConfigFileLimits> = Object.freeze({
  // 2 MiB: yaml parses about 0.6 MB/s here, on the event loop; a re-read of a file this big
  // already stalls a running service for seconds (a 10 000-host file is well under 1 MiB).
  maxBytes: 2 * 1024 * 1024,
  maxDepth: 100,
  maxAliasCount: 100,
});

export function resolveLimits(partial: Partial<ConfigFileLimits> | undefined): ConfigFileLimits {
  return { ...CONFIG_FILE_LIMITS, ...partial };
}

/** `10 MiB`, `512 KiB`, `300 bytes`: a limit as an operator reads it. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
