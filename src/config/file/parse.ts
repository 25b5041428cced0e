/**
 * `parseConfigFile`: the text of a configuration file in, its settings, its
 * document and a way to find any path's line out; or one ConfigFileError
 * with every problem found, each at its line and column. Pure: it reads no
 * file (the environment is a parameter, `process.env` when left out).
 *
 * The steps, each refusing before the next runs:
 * 1. text: size, UTF-8, control characters (text.ts);
 * 2. YAML: depth, syntax, one document (yaml-tree.ts);
 * 3. tree: a mapping at the root, known top-level keys, duplicate keys, tags,
 *    `${VAR}`, aliases;
 * 4. values: the settings (settings.ts), the document's shape, host names,
 *    `cluster` without a document.
 * @module
 */
import { isAlias, isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import { ConfigFileError, type ConfigIssue } from '../../errors.js';
import { normalizeDocument, type ConfigDocument } from '../document.js';
import { hostNameProblem } from './host-names.js';
import { resolveLimits, type ConfigFileLimits } from './limits.js';
import { keyOf, offsetOf, pathAt } from './locate.js';
import { SETTINGS_KEYS, parseSettings, type ConfigFileSettings } from './settings.js';
import { substitute, type Environment } from './substitute.js';
import { unknownKey } from './suggest.js';
import { decodeText, positionAt, type Position } from './text.js';
import { parseYaml, type Tree } from './yaml-tree.js';
import { keyPath } from '../key-path.js';

export type { ConfigFileSettings } from './settings.js';

/** The keys of the file that make the configuration document (API.md section 3). */
export const DOCUMENT_KEYS = ['roles', 'config', 'hosts'] as const;
const TOP_LEVEL_KEYS = [...SETTINGS_KEYS, ...DOCUMENT_KEYS];

export interface ConfigFile {
  /** The path as given. */
  file: string;
  settings: ConfigFileSettings;
  /** Only the document keys (`roles`, `config`, `hosts`), `${VAR}` substituted: a plain object for `rt.applyConfig`. */
  document: Pick<ConfigDocument, 'roles' | 'config' | 'hosts'>;
  /**
   * Line and column (1-based) of a path such as `hosts.example.com.config.auth.backend`
   * or `roles.1`: of its key (or list item); of the nearest existing ancestor when the
   * path itself is not in the file (a missing key is reported at its parent); undefined
   * only if nothing matches. `''` is the root.
   */
  locate(path: string): Position | undefined;
}

export interface ParseOptions {
  /** The path to report (and, for `.json`, the format). */
  file: string;
  /** Where `${VAR}` is looked up; default `process.env`. */
  env?: Environment;
  limits?: Partial<ConfigFileLimits>;
}

/** An issue found on the way: at a text offset, or at the node its path names. */
interface Found {
  path: string;
  message: string;
  offset?: number;
}

/**
 * Parses and validates a configuration file's text (YAML, or JSON for a
 * `.json` file). Throws ConfigFileError, never anything else.
 *
 * @example
 * const cf = parseConfigFile(readFileSync('rolekit.yaml'), { file: 'rolekit.yaml' });
 * const rt = await createRuntime({ roles: cf.settings.modules, reloadAllowed: cf.settings.reloadAllowed });
 * await rt.applyConfig(cf.document);
 */
export function parseConfigFile(text: string | Uint8Array, options: ParseOptions): ConfigFile {
  const file = options.file;
  const limits = resolveLimits(options.limits);
  const env = options.env ?? process.env;

  const decoded = decodeText(text, limits.maxBytes);
  if (!decoded.ok) {
    const at = positionAt(decoded.text, decoded.offset);
    throw new ConfigFileError(file, at.line, at.column, [{ path: '', message: decoded.message, ...at }]);
  }
  const source = decoded.text;
  const yaml = parseYaml(source, { json: /\.json$/i.test(file), maxDepth: limits.maxDepth });
  const tree = yaml.documents[0];
  const fail: (found: Found[]) => never = (found) => {
    throw fileError(file, found, (f) => locateFound(f, yaml.position, tree));
  };

  // 2. YAML
  const problems: Found[] = yaml.problems.map((p) => ({
    path: p.path ?? (tree ? pathAt(tree, p.offset) || keyAbove(tree, p.offset, yaml.position) : ''),
    message: yamlMessage(p.code, p.message),
    offset: p.offset,
  }));
  if (yaml.documents.length > 1) {
    problems.push({
      path: '',
      offset: yaml.starts[1] ?? 0,
      message: `the file holds ${yaml.documents.length} YAML documents (separated by ---); a configuration file holds one`,
    });
  }
  if (problems.length > 0) fail(problems);

  // 3. tree
  const root = tree.contents;
  if (root === null || (isScalar(root) && root.value === null && root.source === '')) {
    fail([{ path: '', offset: 0, message: 'the file is empty (only comments or blank lines): an empty configuration is written {}' }]);
  }
  if (!isMap(root)) {
    fail([{ path: '', offset: root?.range?.[0] ?? 0, message: `the file must hold a mapping of keys (modules, http, roles, …), got ${kindOfNode(root)}` }]);
  }
  const found: Found[] = [];
  for (const pair of root.items) {
    const key = keyOf(pair as Pair);
    if (key !== undefined && !TOP_LEVEL_KEYS.includes(key)) found.push({ path: key, message: unknownKey(key, TOP_LEVEL_KEYS) });
  }
  checkNodes(tree, root, '', env, found, yaml.position);
  if (found.length > 0) fail(found);

  let js: Record<string, unknown>;
  try {
    js = tree.toJS({ maxAliasCount: limits.maxAliasCount }) as Record<string, unknown>;
  } catch (err) {
    fail([aliasProblem(tree, err, limits.maxAliasCount)]);
  }

  // 4. values
  const settingsInput: Record<string, unknown> = {};
  const document: Record<string, unknown> = {};
  for (const key of Object.keys(js!)) {
    define((DOCUMENT_KEYS as readonly string[]).includes(key) ? document : settingsInput, key, js![key]);
  }
  const settings = parseSettings(settingsInput);
  if (!settings.ok) found.push(...settings.issues);
  else found.push(...crossChecks(settings.settings));
  if (Object.hasOwn(settingsInput, 'cluster')) {
    for (const key of Object.keys(document)) {
      found.push({ path: key, message: `with cluster, the document comes from etcd: a file with cluster holds no ${key} (apply it with rolekit apply --cluster)` });
    }
  }
  const normalized = normalizeDocument(document);
  if (!normalized.ok) found.push(...normalized.issues);
  const hosts = document.hosts;
  if (typeof hosts === 'object' && hosts !== null && !Array.isArray(hosts)) {
    for (const host of Object.keys(hosts)) {
      const problem = hostNameProblem(host);
      if (problem) found.push({ path: `hosts.${host}`, message: problem });
    }
  }
  const parsed = settings.ok ? settings.settings : undefined;
  if (found.length > 0 || !parsed) fail(found);

  return {
    file,
    settings: parsed,
    document: document as ConfigFile['document'],
    locate(path: string): Position | undefined {
      const offset = typeof path === 'string' ? offsetOf(tree, path) : undefined;
      return offset === undefined ? undefined : yaml.position(offset);
    },
  };
}

/** The ConfigFileError of these issues, sorted by position; the error's own position is the first one's. */
function fileError(file: string, found: readonly Found[], locate: (f: Found) => Position): ConfigFileError {
  const issues: ConfigIssue[] = found
    .map((f) => ({ path: f.path, message: f.message, ...locate(f) }))
    .sort((a, b) => a.line - b.line || a.column - b.column);
  return new ConfigFileError(file, issues[0]?.line ?? 1, issues[0]?.column ?? 1, issues);
}

function locateFound(f: Found, position: (offset: number) => Position, tree: Tree | undefined): Position {
  const offset = f.offset ?? (tree ? offsetOf(tree, f.path) : undefined) ?? (tree?.contents?.range?.[0] ?? 0);
  return position(offset);
}

/**
 * Every node below `node`: each key a string, no tag beyond YAML's own
 * types, and `${VAR}` substituted in each string value (in place, before
 * toJS: an alias shares the substituted value of its anchor).
 */
function checkNodes(tree: Tree, node: Node, path: string, env: Environment, found: Found[], position: (offset: number) => Position): void {
  if (node.tag !== undefined && !PLAIN_TAGS.has(node.tag)) {
    found.push({ path, message: `the tag ${shortTag(node.tag)} is not allowed: a configuration holds strings, numbers, booleans, null, lists and mappings` });
    return;
  }
  if (isMap(node)) {
    const seen = new Map<string, number | undefined>();
    for (const pair of node.items) {
      const key = keyOf(pair as Pair);
      const keyNode = pair.key as Node | null;
      // `: x` (no key written) is the empty string with stringKeys; `"": x` is a key like any other.
      if (key === undefined || (isScalar(keyNode) && keyNode.type === 'PLAIN' && keyNode.source === '')) {
        found.push({ path, offset: keyNode?.range?.[0] ?? (pair.value as Node | null)?.range?.[0], message: 'a key is missing before ":"' });
        continue;
      }
      if (seen.has(key)) {
        const first = seen.get(key);
        const line = first === undefined ? '' : ` (first at line ${position(first).line})`;
        found.push({ path: keyPath(path, key), offset: keyNode?.range?.[0], message: `duplicate key${line}` });
        continue;
      }
      seen.set(key, keyNode?.range?.[0]);
      if (pair.value) checkNodes(tree, pair.value as Node, keyPath(path, key), env, found, position);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => {
      if (item) checkNodes(tree, item as Node, keyPath(path, String(index)), env, found, position);
    });
  } else if (isAlias(node)) {
    if (!node.resolve(tree)) found.push({ path, message: `unknown alias *${node.source}: the anchor &${node.source} must come before it` });
  } else if (isScalar(node) && typeof node.value === 'string') {
    const result = substitute(node.value, env);
    if (result.ok) node.value = result.value;
    else found.push({ path, message: result.message });
  } else if (isScalar(node) && node.value !== null && typeof node.value !== 'number' && typeof node.value !== 'boolean') {
    found.push({ path, message: 'a value that is not a string, number, boolean, null, list or mapping' });
  }
}

const PLAIN_TAGS = new Set(['!', ...['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`)]);

function shortTag(tag: string): string {
  return tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice('tag:yaml.org,2002:'.length)}` : tag;
}

/** toJS refused to expand the aliases (billion laughs): reported at the first alias. */
function aliasProblem(tree: Tree, err: unknown, max: number): Found {
  let first: Node | undefined;
  const stack: Node[] = tree.contents ? [tree.contents] : [];
  while (stack.length > 0 && !first) {
    const node = stack.pop()!;
    if (isAlias(node)) first = node;
    else if (isMap(node)) for (const p of [...node.items].reverse()) stack.push(...([p.value, p.key].filter(Boolean) as Node[]));
    else if (isSeq(node)) stack.push(...([...node.items].reverse().filter(Boolean) as Node[]));
  }
  const offset = first?.range?.[0] ?? 0;
  const message =
    err instanceof ReferenceError && /^Excessive alias count/.test(err.message)
      ? `aliases expand too far (more than the limit of ${max} per alias, as a "billion laughs" file does): use fewer aliases`
      : `the file can not be read: ${err instanceof Error ? err.message : String(err)}`;
  return { path: pathAt(tree, offset), offset, message };
}

/** Rules across settings: listeners that could never start. */
function crossChecks(settings: ConfigFileSettings): Found[] {
  const found: Found[] = [];
  const { admin, http } = settings;
  if (admin && admin.token === undefined && !LOOPBACK.has(admin.host)) {
    found.push({ path: 'admin.host', message: `without admin.token the admin API listens on loopback only (127.0.0.1, ::1, localhost), not on ${admin.host}: set a token` });
  }
  if (admin && http && admin.port !== 0 && admin.port === http.port && admin.host === http.host) {
    found.push({ path: 'admin.port', message: `admin and http can not both listen on ${admin.host}:${admin.port}` });
  }
  return found;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** yaml's message, in rolekit's words where an operator needs more. */
function yamlMessage(code: string | undefined, message: string): string {
  switch (code) {
    case 'TAB_AS_INDENT':
      return 'tabs are not allowed as indentation in YAML: indent with spaces';
    case 'NON_STRING_KEY':
      return 'a key must be a string, not a list or a mapping';
    case 'TAG_RESOLVE_FAILED':
      return /^Unresolved tag/.test(message) ? `${lowerFirst(message)}: a configuration holds plain YAML values only` : lowerFirst(message);
    case 'MULTIPLE_DOCS':
      return 'the file holds more than one YAML document; a configuration file holds one';
    default:
      return lowerFirst(message);
  }
}

/**
 * For a syntax error outside every entry (a tab-indented line below `http:`):
 * the path of the last key before it, on an earlier line, not right of it.
 */
function keyAbove(tree: Tree, offset: number, position: (o: number) => Position): string {
  const at = position(offset);
  let best = '';
  let bestOffset = -1;
  const stack: { node: Node; path: string }[] = tree.contents ? [{ node: tree.contents, path: '' }] : [];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = keyOf(pair as Pair);
        const keyOffset = (pair.key as Node | null)?.range?.[0];
        if (key === undefined || keyOffset === undefined || keyOffset >= offset) continue;
        const p = position(keyOffset);
        if (p.line < at.line && p.column <= at.column && keyOffset > bestOffset) [best, bestOffset] = [keyPath(path, key), keyOffset];
        if (pair.value) stack.push({ node: pair.value as Node, path: keyPath(path, key) });
      }
    } else if (isSeq(node)) node.items.forEach((item, i) => item && stack.push({ node: item as Node, path: keyPath(path, String(i)) }));
  }
  return best;
}

function kindOfNode(node: Node | null): string {
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return node.value === null ? 'null' : `${typeof node.value === 'string' ? 'the string' : 'the value'} ${JSON.stringify(String(node.value)).slice(0, 60)}`;
  return 'something else';
}

function lowerFirst(text: string): string {
  return /^[A-Z](?![A-Z])/.test(text) ? text[0].toLowerCase() + text.slice(1) : text;
}


function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
