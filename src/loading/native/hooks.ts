/**
 * The module customization hooks, written once for both ways Node runs them:
 * synchronously in-thread (`module.registerHooks`, Node 22.15+/23.5+) and
 * asynchronously in the hooks thread (`module.register`, Node 20), where
 * `nextResolve`/`nextLoad` return promises. `then()` below continues with the
 * value directly when it is not a promise, so the sync path stays sync.
 *
 * resolve: a module whose URL carries a generation token passes it on to every
 *   application file it imports, so the whole graph is evaluated afresh, and
 *   reports the import edge. Builtins, `node_modules`, shared files and the
 *   loader's own package are resolved as usual and thus shared by every version.
 * load: for a file carrying a token, hash the exact bytes handed to Node and
 *   report them; transform TypeScript with swc; give CommonJS files their
 *   source so that their `require()` calls go through these hooks too and the
 *   token reaches the files they require.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isApplicationPath, isTypeScript } from './classify.js';
import type { HookReport, LoaderConfig } from './protocol.js';
import { loaderOf, tokenOf, withToken } from './token.js';
import { TypeScriptSyntaxError, transformTypeScript } from './typescript.js';
import { messageOf } from '../../thrown.js';
import { isPromiseLike } from '../../utils/promise.js';
import { sha256 } from '../../utils/sha256.js';

export interface HookEnv {
  /** The configuration of a live loader, undefined once it is closed (then the hooks stand aside). */
  loader(id: string): LoaderConfig | undefined;
  report(report: HookReport): void;
}

// Shapes of Node's hook API, declared here because @types/node 20 lacks registerHooks.
export interface ResolveContext {
  parentURL?: string | undefined;
  conditions?: string[];
  importAttributes?: Record<string, string>;
}
export interface ResolveResult {
  url: string;
  format?: string | null | undefined;
  shortCircuit?: boolean;
  importAttributes?: Record<string, string>;
}
export interface LoadContext {
  format?: string | null | undefined;
  conditions?: string[];
  importAttributes?: Record<string, string>;
}
export interface LoadResult {
  format: string | null | undefined;
  source?: string | ArrayBuffer | ArrayBufferView | null | undefined;
  shortCircuit?: boolean;
}
type MaybePromise<T> = T | Promise<T>;
export type NextResolve = (specifier: string, context?: ResolveContext) => MaybePromise<ResolveResult>;
export type NextLoad = (url: string, context?: LoadContext) => MaybePromise<LoadResult>;
export type ResolveHook = (specifier: string, context: ResolveContext, next: NextResolve) => MaybePromise<ResolveResult>;
export type LoadHook = (url: string, context: LoadContext, next: NextLoad) => MaybePromise<LoadResult>;

/** Files of rolekit itself (the directory above loading/): roles importing `rolekit` must get the runtime's instance. */
const OWN_ROOT = fileURLToPath(new URL('../../', import.meta.url));


function then<T, R>(run: () => MaybePromise<T>, ok: (value: T) => MaybePromise<R>, fail: (error: unknown) => MaybePromise<R>): MaybePromise<R> {
  let value: MaybePromise<T>;
  try {
    value = run();
  } catch (error) {
    return fail(error);
  }
  if (isPromiseLike(value)) return Promise.resolve(value as Promise<T>).then(ok, fail);
  return ok(value);
}


const JS_EXTENSION = /\.(m?)js$/;

export function createHooks(env: HookEnv): { resolve: ResolveHook; load: LoadHook } {
  // CommonJS files of a generation, by path, with their token. On Node 22+
  // a require() inside a CommonJS module that ESM imported reaches the resolve
  // hook with the plain file URL of its parent (the CJS loader drops the
  // query), so the generation is looked up by path instead.
  const commonjsTokens = new Map<string, string>();
  const parentToken = (parentURL: string | undefined): string | undefined => {
    const token = tokenOf(parentURL);
    if (token !== undefined || parentURL === undefined || !parentURL.startsWith('file:')) return token;
    return commonjsTokens.size === 0 ? undefined : commonjsTokens.get(fileURLToPath(parentURL));
  };

  const resolve: ResolveHook = (specifier, context, next) => {
    const token = parentToken(context.parentURL);
    const config = token === undefined ? undefined : env.loader(loaderOf(token));
    if (token === undefined || config === undefined) return next(specifier, context);
    const from = fileURLToPath(context.parentURL!);

    const finish = (result: ResolveResult): ResolveResult => {
      if (!result.url.startsWith('file:')) return result;
      const to = fileURLToPath(result.url);
      if (!isApplicationPath(to) || config.shared.has(to) || to.startsWith(OWN_ROOT)) return result;
      env.report({ type: 'edge', token, from, to });
      return { ...result, url: withToken(result.url, token) };
    };
    const fail = (error: unknown): never => {
      env.report({ type: 'error', token, path: from, specifier, message: messageOf(error) });
      throw error;
    };
    return then(
      () => next(specifier, context),
      finish,
      (error) => {
        // TypeScript sources conventionally import './x.js' for './x.ts'
        // (what tsc's NodeNext resolution expects); Node knows nothing of it.
        const alternative = isTypeScript(from) && specifier.startsWith('.') && JS_EXTENSION.test(specifier)
          ? specifier.replace(JS_EXTENSION, '.$1ts')
          : undefined;
        if (alternative === undefined || (error as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND') return fail(error);
        return then(() => next(alternative, context), finish, () => fail(error));
      },
    );
  };

  const load: LoadHook = (url, context, next) => {
    const token = tokenOf(url);
    if (token === undefined || env.loader(loaderOf(token)) === undefined) return next(url, context);
    const path = fileURLToPath(url);
    const fail = (error: unknown): never => {
      // Node 20 hands the loader a copy of the error made in the hooks thread; the position travels here.
      const position = error instanceof TypeScriptSyntaxError ? error.position : undefined;
      env.report({ type: 'error', token, path, message: messageOf(error), ...position });
      throw error;
    };

    if (isTypeScript(path)) {
      let code: string;
      let bytes: Buffer;
      try {
        bytes = readFileSync(path);
        code = transformTypeScript(bytes.toString('utf8'), path);
      } catch (error) {
        return fail(error);
      }
      env.report({ type: 'file', token, path, sha256: sha256(bytes), format: 'module' });
      return { format: 'module', source: code, shortCircuit: true };
    }

    return then(
      () => next(url, context),
      (result) => {
        let source = result.source;
        // Node leaves CommonJS source to the CJS loader, which would read the
        // file again (the hash would not be of what ran) and whose require()
        // bypasses these hooks on Node 20 (the token would stop here).
        if (source == null && result.format === 'commonjs') source = readFileSync(path);
        if (result.format === 'commonjs') commonjsTokens.set(path, token);
        if (source != null) env.report({ type: 'file', token, path, sha256: sha256(source), format: result.format ?? 'unknown' });
        return source === result.source ? result : { ...result, source };
      },
      fail,
    );
  };

  return { resolve, load };
}
