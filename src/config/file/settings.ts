/**
 * The runtime's own settings in a configuration file (docs/configuration.md):
 * one zod schema, defaults applied, and an issue per problem with the path of
 * the key as written.
 *
 * Numbers and booleans also accept a string that spells one (`"8080"`,
 * `"true"`), because that is what `${VAR}` makes: `port: ${PORT}` works. Only
 * settings are read that way; the document (`roles`, `config`, `hosts`) keeps
 * every value exactly as the file has it, and role code decides.
 * @module
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import type { ConfigIssue } from '../../errors.js';
import { isHostName } from './host-names.js';
import { unknownKey } from './suggest.js';
import { keyPath } from '../key-path.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The runtime's own settings of a configuration file, defaults applied. */
export interface ConfigFileSettings {
  /** Role modules as written (relative to the file's directory); default `[]`. */
  modules: string[];
  /** Default false. */
  reloadAllowed: boolean;
  /** Default false. */
  watch: boolean;
  loader?: 'managed' | 'native';
  /** In ms; `.inf` (Infinity): no limit. */
  timeouts?: { validate?: number; init?: number; apply?: number; stop?: number; drain?: number };
  requestHoldTimeout?: number;
  http?: { host: string; port: number };
  admin?: { host: string; port: number; token?: string; bodyLimit?: number };
  log?: { level?: LogLevel };
  cluster?: {
    etcd: string[];
    name: string;
    instance: string;
    lease?: number;
    timeouts?: { prepare?: number; commit?: number; abort?: number };
  };
}

// --- values -------------------------------------------------------------

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const INFINITY = /^(?:\+?\.inf|\+?\.Inf|\+?\.INF|\+?Infinity)$/;

function toNumber(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (NUMBER.test(value)) return Number(value);
  if (INFINITY.test(value)) return Infinity;
  return value;
}

function toBoolean(value: unknown): unknown {
  if (value === 'true' || value === 'True' || value === 'TRUE') return true;
  if (value === 'false' || value === 'False' || value === 'FALSE') return false;
  return value;
}

/** A value as a message shows it: strings quoted, collections by kind. */
function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'number') return Number.isNaN(value) ? '.nan' : value === Infinity ? '.inf' : String(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

/** One value, checked by `test`, with the message `expected <what>, got <value>` (or `required`). */
function value<T>(what: string, test: (v: unknown) => boolean, coerce?: (v: unknown) => unknown) {
  const schema = z.custom<T>(test, {
    error: (issue) => (issue.input === undefined ? `required: ${what}` : `expected ${what}, got ${describeValue(issue.input)}`),
  });
  return coerce ? z.preprocess(coerce, schema) : schema;
}

const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

const bool = () => value<boolean>('true or false', (v) => typeof v === 'boolean', toBoolean);
const port = () => value<number>('a port number (an integer from 0 to 65535)', (v) => isInteger(v) && v >= 0 && v <= 65535, toNumber);
const timeLimit = () =>
  value<number>('a time limit in ms, 0 or more (.inf: no limit)', (v) => typeof v === 'number' && !Number.isNaN(v) && v >= 0, toNumber);
const positiveInteger = (unit: string) =>
  value<number>(`a whole number of ${unit}, more than 0`, (v) => isInteger(v) && v > 0, toNumber);
const listenHost = () =>
  value<string>(
    'an IP address or a host name to listen on, without a port (e.g. 127.0.0.1, 0.0.0.0, ::1, localhost)',
    (v) => typeof v === 'string' && (isIP(v) !== 0 || isHostName(v)),
  );
const nonEmpty = (what: string) => value<string>(what, (v) => typeof v === 'string' && v !== '');
const clusterName = (what: string) =>
  value<string>(`${what}: letters, digits, ".", "_" and "-", at most 63 (it is part of etcd keys)`, (v) => typeof v === 'string' && /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/.test(v));
const etcdUrl = () =>
  value<string>('an http:// or https:// URL of an etcd endpoint', (v) => {
    if (typeof v !== 'string' || !URL.canParse(v)) return false;
    return ['http:', 'https:'].includes(new URL(v).protocol);
  });
const oneOf = <T extends string>(values: readonly T[]) =>
  value<T>(`one of ${values.map((v) => `"${v}"`).join(', ')}`, (v) => typeof v === 'string' && (values as readonly string[]).includes(v));
const list = <T extends z.ZodType>(what: string, item: T) =>
  z.array(item, { error: (issue) => (issue.input === undefined ? `required: ${what}` : `expected ${what}, got ${describeValue(issue.input)}`) });

/** A mapping of these keys only. */
function mapping<T extends z.ZodRawShape>(shape: T) {
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'invalid_type' ? (issue.input === undefined ? 'required: a mapping' : `expected a mapping, got ${describeValue(issue.input)}`) : undefined),
  });
}

// --- the schema ---------------------------------------------------------

const SHAPES = {
  timeouts: { validate: timeLimit().optional(), init: timeLimit().optional(), apply: timeLimit().optional(), stop: timeLimit().optional(), drain: timeLimit().optional() },
  http: { host: listenHost().default('127.0.0.1'), port: port() },
  admin: {
    host: listenHost().default('127.0.0.1'),
    port: port(),
    token: nonEmpty('a bearer token (a non-empty string)').optional(),
    bodyLimit: positiveInteger('bytes').optional(),
  },
  log: { level: oneOf(LOG_LEVELS).optional() },
  'cluster.timeouts': { prepare: timeLimit().optional(), commit: timeLimit().optional(), abort: timeLimit().optional() },
};

const clusterShape = {
  etcd: list('a list of etcd URLs', etcdUrl()).min(1, { error: 'expected at least one etcd URL' }),
  name: clusterName('a cluster name'),
  instance: clusterName('an instance name'),
  lease: positiveInteger('ms').optional(),
  timeouts: mapping(SHAPES['cluster.timeouts']).optional(),
};

const settingsShape = {
  modules: list('a list of module paths', nonEmpty('a module path (a non-empty string)')).default([]),
  reloadAllowed: bool().default(false),
  watch: bool().default(false),
  loader: oneOf(['managed', 'native'] as const).optional(),
  timeouts: mapping(SHAPES.timeouts).optional(),
  requestHoldTimeout: timeLimit().optional(),
  http: mapping(SHAPES.http).optional(),
  admin: mapping(SHAPES.admin).optional(),
  log: mapping(SHAPES.log).optional(),
  cluster: mapping(clusterShape).optional(),
};

const settingsSchema = z.strictObject(settingsShape);

/** The top-level keys that are settings. */
export const SETTINGS_KEYS = Object.keys(settingsShape);

/** Known keys of each mapping among the settings, for "did you mean". */
const KEYS: Record<string, readonly string[]> = {
  '': SETTINGS_KEYS,
  timeouts: Object.keys(SHAPES.timeouts),
  http: Object.keys(SHAPES.http),
  admin: Object.keys(SHAPES.admin),
  log: Object.keys(SHAPES.log),
  cluster: Object.keys(clusterShape),
  'cluster.timeouts': Object.keys(SHAPES['cluster.timeouts']),
};

export type SettingsResult = { ok: true; settings: ConfigFileSettings } | { ok: false; issues: ConfigIssue[] };

/** `input` holds only the settings keys of the file (the top level is checked by the caller). */
export function parseSettings(input: Record<string, unknown>): SettingsResult {
  const result = settingsSchema.safeParse(input, { reportInput: true });
  if (result.success) return { ok: true, settings: result.data };
  const issues: ConfigIssue[] = [];
  for (const issue of result.error.issues) {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) issues.push({ path: keyPath(path, key), message: unknownKey(key, KEYS[path] ?? []) });
    } else issues.push({ path, message: issue.message });
  }
  return { ok: false, issues };
}

