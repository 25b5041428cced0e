#!/usr/bin/env node
/**
 * The `rolekit` command line. For now: `--version`, and `start` without a
 * file, which runs the example service (same as `npm start`). Configuration
 * files (`start <file>`, `validate <file>`) come in a later release.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';

const packageJson = new URL('../../package.json', import.meta.url);
const example = new URL('../../examples/service/main.mjs', import.meta.url);
const NOT_YET = 'not yet implemented: config files come in a later release';

function notYet(): void {
  console.error(`rolekit: ${NOT_YET}`);
  process.exitCode = 2;
}

const program = new Command('rolekit')
  .description('Run a Node.js service as a set of roles')
  .version((JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version);

program
  .command('start')
  .description('start a service; without <file>, the example service (PORT sets its port, default 8080)')
  .argument('[file]', `configuration file (${NOT_YET})`)
  .action(async (file?: string) => {
    if (file !== undefined) return notYet();
    if (!existsSync(example)) {
      console.error(`rolekit: the example service is not part of this installation (${fileURLToPath(example)})`);
      process.exitCode = 1;
      return;
    }
    await import(example.href);
  });

program
  .command('validate')
  .description('check a configuration file without starting anything')
  .argument('<file>', 'configuration file')
  .action(notYet);

await program.parseAsync();
