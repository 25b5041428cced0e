/**
 * `rolekit validate <file> [--against <old>]`: everything `rolekit start`
 * would check, without starting anything. The role modules are loaded and
 * each enabled role's `validateConfig` runs (its dry run, as
 * `rt.validateConfig` does); no `init`, no listener. Problems print as
 * `<file>:<line>:<col> <key>: <message>`, one per line, and exit 1. A valid
 * file prints what would run; with `--against`, the plan from the old file to
 * this one: which role instances start, stop, are applied again or left alone.
 * @module
 */
import { resolve } from 'node:path';
import {
  ValidateConfigError,
  createRuntime,
  locateIssues,
  readConfigFile,
  type ConfigDiff,
  type ConfigFile,
  type InstanceRef,
  type Runtime,
} from '../index.js';
import { fileProblem, linesTo } from './output.js';
import { EXIT } from './exit-codes.js';
import { runtimeOptionsOf } from './runtime-options.js';


export interface ValidateOptions {
  against?: string;
  out?: (line: string) => void;
  err?: (line: string) => void;
}

export async function validateCommand(file: string, options: ValidateOptions = {}): Promise<number> {
  const { out, err } = linesTo(options);
  let rt: Runtime | undefined;
  try {
    const config = await readConfigFile(file);
    const old = options.against !== undefined ? await readConfigFile(options.against) : undefined;
    rt = await createRuntime({ ...runtimeOptionsOf(resolve(file), config.settings), logger: false });
    await validateAgainst(rt, config);
    if (old) {
      await validateAgainst(rt, old);
      printPlan(out, `${options.against} -> ${file}`, rt.diffConfig(config.document, old.document));
    } else {
      printSummary(out, file, rt.diffConfig(config.document, {}));
    }
    return EXIT.ok;
  } catch (e) {
    const lines = fileProblem(file, e);
    for (const line of lines) err(line);
    return EXIT.refused;
  } finally {
    await rt?.stop().catch(() => {});
  }
}

/** The validate phase of one file's document; its issues located in that file. */
async function validateAgainst(rt: Runtime, config: ConfigFile): Promise<void> {
  try {
    await rt.validateConfig(config.document);
  } catch (e) {
    throw e instanceof ValidateConfigError ? locateIssues(config, e) : e;
  }
}

const label = (ref: InstanceRef) => (ref.host === undefined ? ref.role : `${ref.role} on ${ref.host}`);

function printSummary(out: (line: string) => void, file: string, diff: ConfigDiff): void {
  const global = diff.start.filter((r) => r.host === undefined).map((r) => r.role);
  const perHost = new Map<string, string[]>();
  for (const ref of diff.start) if (ref.host !== undefined) perHost.set(ref.host, [...(perHost.get(ref.host) ?? []), ref.role]);
  out(`${file}: valid`);
  out(`roles: ${global.length > 0 ? global.join(', ') : '(none)'}`);
  out(`hosts: ${perHost.size > 0 ? '' : '(none)'}`.trimEnd());
  for (const [host, roles] of perHost) out(`  ${host}: ${roles.join(', ')}`);
}

function printPlan(out: (line: string) => void, what: string, diff: ConfigDiff): void {
  out(`plan ${what}:`);
  const rows: [string, InstanceRef[]][] = [
    ['start', diff.start],
    ['stop', diff.stop],
    ['apply', diff.reapply],
  ];
  let any = false;
  for (const [verb, refs] of rows) {
    for (const ref of refs) {
      out(`  ${verb.padEnd(6)}${label(ref)}`);
      any = true;
    }
  }
  if (!any) out('  (nothing to do)');
  if (diff.unchanged.length > 0) out(`  unchanged: ${diff.unchanged.map(label).join(', ')}`);
}
