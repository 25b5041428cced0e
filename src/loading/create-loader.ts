/**
 * Picks the loader of role code named in the options. Loaders are imported
 * lazily: a service with only role objects never loads @swc/core or
 * registers module hooks.
 * @module
 */
import type { LoaderOptions, RoleLoader } from './types.js';

export async function createLoader(kind: 'managed' | 'native' | RoleLoader, options: LoaderOptions): Promise<RoleLoader> {
  if (typeof kind === 'object') return kind;
  if (kind === 'native') return (await import('./native/index.js')).createNativeLoader(options);
  if (kind === 'managed') return (await import('./managed/index.js')).createManagedLoader(options);
  throw new TypeError(`loader must be "managed" or "native", got ${JSON.stringify(kind)}`);
}
