/**
 * External modules (builtins, node_modules, shared files) come from Node's own
 * loaders, so every version of the role code gets the instance the rest of the
 * process has, and nothing external is ever evaluated twice.
 *
 * ESM externals cannot be `require`d on every Node 20 (and where they can,
 * Node warns, and fails on top-level await), while role code evaluates
 * synchronously. So a load first `import()`s them natively (the async part of
 * `load`) and the synchronous `require` in role code then serves the result.
 * @module
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { types } from 'node:util';

const nativeRequire = createRequire(import.meta.url);

/** Node's `import()`; kept in one place so the dynamic import stays native. */
export function importNative(specifier: string): Promise<Record<string, unknown>> {
  return import(specifier) as Promise<Record<string, unknown>>;
}

export function importNativeFile(file: string): Promise<Record<string, unknown>> {
  return importNative(pathToFileURL(file).href);
}

export class Externals {
  /** Keyed by the namespace object, which Node keeps for the life of the process anyway. */
  readonly #views = new WeakMap<object, object>();

  /** The value swc-compiled code should get from `require()` for an ESM module. */
  async importView(file: string): Promise<object> {
    return this.view(await importNativeFile(file));
  }

  require(idOrPath: string): unknown {
    const value: unknown = nativeRequire(idOrPath);
    // Node 20.19+ can require(esm); give compiled code the same interop view as for an imported one.
    return types.isModuleNamespaceObject(value) ? this.view(value as object) : value;
  }

  /**
   * A module namespace seen through swc's interop: `__esModule` makes
   * `import x from` read `default` (Node's semantics) instead of treating the
   * whole namespace as the default export. Getters keep bindings live.
   */
  view(namespace: object): object {
    let view = this.#views.get(namespace);
    if (!view) {
      view = Object.create(null) as object;
      Object.defineProperty(view, '__esModule', { value: true });
      for (const key of Object.keys(namespace)) {
        Object.defineProperty(view, key, { enumerable: true, get: () => (namespace as Record<string, unknown>)[key] });
      }
      this.#views.set(namespace, view);
    }
    return view;
  }
}
