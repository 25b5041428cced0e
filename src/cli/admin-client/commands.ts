/**
 * The admin client commands: each sends one request to the admin API and
 * prints the answer, for a person or (`--json`) for a script. Exit codes:
 * 0 success; 1 the admin API answered an error (or the file is invalid);
 * 2 usage error; 3 the admin API could not be reached.
 * @module
 */
import { ValidateConfigError, formatConfigFileError, locateIssues, readConfigFile, serializeError } from '../../index.js';
import { fileProblem, issueLine, linesTo } from '../output.js';
import { EXIT } from '../exit-codes.js';
import { adminRequest, errorOf, UnreachableError, type AdminAnswer, type AdminTarget } from './client.js';
import { statusTable } from './status-table.js';

export interface ClientOptions extends AdminTarget {
  json?: boolean;
  out?: (line: string) => void;
  err?: (line: string) => void;
}

type Print = { out: (line: string) => void; err: (line: string) => void; json: boolean };

function printer(options: ClientOptions): Print {
  return { ...linesTo(options), json: options.json === true };
}

/** Send, then print: `human` formats a successful answer for a person. */
async function call(options: ClientOptions, method: 'GET' | 'POST', path: string, body: unknown, human: (answer: AdminAnswer) => string[], onError?: (answer: AdminAnswer, p: Print) => boolean): Promise<number> {
  const p = printer(options);
  let answer: AdminAnswer;
  try {
    answer = await adminRequest(options, method, path, body);
  } catch (err) {
    p.err(`rolekit: ${serializeError(err).message}`);
    return err instanceof UnreachableError ? EXIT.unreachable : EXIT.refused;
  }
  const ok = answer.status >= 200 && answer.status < 300;
  if (p.json) {
    (ok ? p.out : p.err)(JSON.stringify(answer.body ?? null));
    return ok ? EXIT.ok : EXIT.refused;
  }
  if (ok) {
    for (const line of human(answer)) p.out(line);
    return EXIT.ok;
  }
  if (onError?.(answer, p)) return EXIT.refused;
  const error = errorOf(answer);
  p.err(`rolekit: ${error.name}: ${error.message}`);
  for (const issue of error.issues ?? []) p.err(issueLine(issue));
  return EXIT.refused;
}

const names = (list: string[] | undefined) => (list && list.length > 0 ? list.join(', ') : 'every module role');

export const adminCommands = {
  status: (o: ClientOptions) => call(o, 'GET', '/status', undefined, (a) => statusTable(a.body)),

  reload: (o: ClientOptions, roles: string[]) =>
    call(o, 'POST', '/reload', roles.length > 0 ? { roles } : {}, (a) => [`reloaded ${names(roles)} (generation ${String((a.body as { generation?: unknown })?.generation ?? '?')})`]),

  updateList: (o: ClientOptions) =>
    call(o, 'GET', '/updates', undefined, (a) => {
      const { files = [], roles = [] } = (a.body ?? {}) as { files?: string[]; roles?: string[] };
      if (files.length === 0) return ['no role file changed on disk'];
      return [`roles: ${roles.join(', ')}`, ...files.map((f) => `  ${f}`)];
    }),

  update: (o: ClientOptions, roles: string[]) =>
    call(o, 'POST', '/update', roles.length > 0 ? { roles } : {}, (a) => {
      const done = ((a.body ?? {}) as { roles?: string[] }).roles ?? roles;
      return [done.length > 0 ? `reloaded ${done.join(', ')}` : 'nothing to update: no role file changed'];
    }),

  forbidReload: (o: ClientOptions) => call(o, 'POST', '/reload/forbid', {}, () => ['reloads forbidden']),
  allowReload: (o: ClientOptions) => call(o, 'POST', '/reload/allow', {}, () => ['reloads allowed']),

  /** Read the file as `rolekit start` does, send its document; issues are printed at their place in the file. */
  async apply(o: ClientOptions, file: string): Promise<number> {
    const p = printer(o);
    let config;
    try {
      config = await readConfigFile(file);
    } catch (err) {
      for (const line of fileProblem(file, err)) p.err(line);
      return EXIT.refused;
    }
    return call(o, 'POST', '/config', config.document, () => [`${file} applied`], (answer, print) => {
      const error = errorOf(answer);
      if (answer.status !== 422 || !error.issues || error.issues.length === 0 || print.json) return false;
      for (const line of formatConfigFileError(locateIssues(config, new ValidateConfigError(error.issues)))) print.err(line);
      return true;
    });
  },
};
