#!/usr/bin/env node
/**
 * Benchmark driver: `npm run bench` (builds dist/ first), or
 * `node bench/run.mjs [filter…]` to run only the modules whose path contains
 * one of the filters (e.g. `node bench/run.mjs apply`).
 *
 * Which modules run: every `bench/<group>/<name>.mjs`, in path order with
 * bench/core/ first. Files whose name starts with `_` and files in deeper
 * folders (fixtures, helpers) are not run. To add a benchmark (reload, loaders,
 * …), drop a file there; it imports rolekit from `../../dist/index.js`.
 *
 * Each module runs in a child process of its own (`node --expose-gc`), so
 * JIT, heap and process-wide hooks of one never skew another. Two shapes:
 *
 * - report module: exports `async function run()` returning rows, and
 *   optionally `export const title = '…'`; the driver prints the rows as a
 *   table. A row is
 *     { metric: string, value: number, unit: string,
 *       target?: string,    // e.g. '< 20 ms', printed as is
 *       pass?: boolean,     // verdict against target (omit when there is none)
 *       note?: string }
 * - script module: does its work when imported and prints its own report;
 *   its exit code is its verdict (0 PASS, otherwise FAIL).
 *
 * Speed targets live here, never in unit tests: a module measures the things
 * it compares side by side in one run and prints the ratios. The driver's
 * exit code is 1 when any target fails.
 */
import { fork } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const benchDir = fileURLToPath(new URL('.', import.meta.url));

const CHILD = 'ROLEKIT_BENCH_MODULE';
if (process.env[CHILD]) await child(process.env[CHILD]);
else await main(process.argv.slice(2));

/** In the child: import one module; if it is a report module, run it and send its rows. */
async function child(file) {
  // The module sees the process as if started with `node <file>` (scripts read their own arguments).
  delete process.env[CHILD];
  process.argv.splice(1, Infinity, file);
  const mod = await import(pathToFileURL(file).href);
  if (typeof mod.run !== 'function') {
    process.disconnect();
    return;
  }
  const rows = await mod.run();
  process.send({ title: mod.title, rows }, () => process.exit(0));
}

async function main(filters) {
  const files = await discover(filters);
  const cores = availableParallelism();
  const load = loadavg()[0];
  console.log(`rolekit benchmarks — node ${process.version}, ${process.platform}-${process.arch}, ${cores} cores, load ${load.toFixed(2)}`);
  if (load > cores * 0.75) console.log('warning: the machine is busy; wall-clock times will read high (compare the CPU times)');

  const verdicts = [];
  for (const file of files) {
    const name = relative(benchDir, file);
    console.log(`\n== ${name}`);
    const started = performance.now();
    const { code, message } = await runChild(file);
    if (message) {
      if (message.title) console.log(`   ${message.title}`);
      printRows(message.rows);
      for (const r of message.rows) if (r.pass !== undefined) verdicts.push({ name, metric: r.metric, pass: r.pass });
    }
    if (!message || code !== 0) verdicts.push({ name, metric: message ? 'exit code' : 'script exit code', pass: code === 0 });
    const ended = code === 0 ? '' : typeof code === 'string' ? `, killed by ${code}` : `, exit code ${code}`;
    console.log(`   (${((performance.now() - started) / 1000).toFixed(1)} s${ended})`);
  }

  const failed = verdicts.filter((v) => !v.pass);
  console.log(`\n${verdicts.length - failed.length}/${verdicts.length} targets pass${failed.length ? '; failed:' : ''}`);
  for (const f of failed) console.log(`  FAIL ${f.name}: ${f.metric}`);
  process.exitCode = failed.length > 0 ? 1 : 0;
}

async function discover(filters) {
  const groups = (await readdir(benchDir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort((a, b) => (a === 'core' ? -1 : b === 'core' ? 1 : a.localeCompare(b)));
  const files = [];
  for (const group of groups) {
    const names = (await readdir(join(benchDir, group), { withFileTypes: true }))
      .filter((d) => d.isFile() && d.name.endsWith('.mjs') && !d.name.startsWith('_'))
      .map((d) => d.name)
      .sort();
    for (const name of names) files.push(join(benchDir, group, name));
  }
  return files.filter((f) => filters.length === 0 || filters.some((w) => relative(benchDir, f).includes(w)));
}

/** Run one module in a child process; resolves with its exit code and the rows it sent, if any. */
function runChild(file) {
  return new Promise((resolve, reject) => {
    let message;
    const proc = fork(fileURLToPath(import.meta.url), [], {
      env: { ...process.env, [CHILD]: file },
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    proc.on('message', (m) => (message = m));
    proc.on('error', reject);
    proc.on('exit', (code, signal) => resolve({ code: code ?? signal, message }));
  });
}

function formatValue(value, unit) {
  const size = Math.abs(value);
  const digits = size >= 100 ? 0 : size >= 10 ? 1 : size >= 1 ? 2 : 3;
  return `${value.toFixed(digits)} ${unit}`;
}

function printRows(rows) {
  const cells = rows.map((r) => [
    r.metric,
    formatValue(r.value, r.unit),
    r.target ?? '',
    r.pass === undefined ? '' : r.pass ? 'PASS' : 'FAIL',
    r.note ?? '',
  ]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...cells.map((c) => c[i].length)));
  for (const c of cells) {
    const line = `  ${c[0].padEnd(widths[0])}  ${c[1].padStart(widths[1])}  ${c[2].padEnd(widths[2])}  ${c[3].padEnd(widths[3])}  ${c[4]}`;
    console.log(line.trimEnd());
  }
}
