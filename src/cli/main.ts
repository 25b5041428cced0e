#!/usr/bin/env node
/**
 * The `rolekit` command line: `start` runs a service from a configuration
 * file, `validate` checks one, and the admin client commands talk to a
 * running service's admin API (exit codes: exit-codes.ts, README).
 * @module
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { EXIT } from './exit-codes.js';
import { adminCommands, type ClientOptions } from './admin-client/commands.js';
import { clusterApply, clusterReload, clusterStatusCommand, type ClusterTarget } from './cluster-client.js';
import { startCommand } from './start/command.js';
import { validateCommand } from './validate.js';

const packageJson = new URL('../../package.json', import.meta.url);

const program = new Command('rolekit')
  .description('Run a Node.js service as a set of roles')
  .version((JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version)
  .exitOverride((err) => {
    // Usage errors (unknown command or option, missing argument) exit 2; --help and --version 0.
    process.exit(err.exitCode === 0 ? EXIT.ok : EXIT.usage);
  });

program
  .command('start')
  .description('run the service described by a configuration file (SIGHUP re-reads it; SIGTERM/SIGINT stop gracefully)')
  .argument('[file]', 'configuration file (YAML or JSON)', 'rolekit.yaml')
  .action(async (file: string) => {
    await startCommand(file);
  });

program
  .command('validate')
  .description('check a configuration file without starting anything; with --against, print the plan from another file to it')
  .argument('<file>', 'configuration file (YAML or JSON)')
  .option('--against <old>', 'print which role instances would start, stop and be applied again, from <old> to <file>')
  .action(async (file: string, opts: { against?: string }) => {
    process.exitCode = await validateCommand(file, { against: opts.against });
  });

/** The options every admin client command takes. */
function adminCommand(name: string, description: string): Command {
  return program
    .command(name)
    .description(description)
    .option('--admin <url>', 'the admin API (default: ROLEKIT_ADMIN_URL, else http://127.0.0.1:8081)')
    .option('--token <token>', 'bearer token (default: ROLEKIT_ADMIN_TOKEN)')
    .option('--json', 'print the answer as JSON, for scripts');
}

function target(opts: { admin?: string; token?: string; json?: boolean }): ClientOptions {
  const token = opts.token ?? process.env.ROLEKIT_ADMIN_TOKEN;
  return {
    url: opts.admin ?? process.env.ROLEKIT_ADMIN_URL ?? 'http://127.0.0.1:8081',
    ...(token ? { token } : {}),
    json: opts.json === true,
  };
}

/** `--cluster <etcd-url> --name <cluster>`: the command talks to etcd instead of one admin API. */
function withCluster(command: Command): Command {
  return command
    .option('--cluster <etcd-url>', 'a cluster through etcd (repeat for several endpoints)', (url: string, all: string[] = []) => [...all, url])
    .option('--name <cluster>', 'the cluster name (with --cluster)');
}

function clusterTarget(opts: { cluster?: string[]; name?: string; json?: boolean }): ClusterTarget | undefined {
  if (!opts.cluster) return undefined;
  if (!opts.name) {
    console.error('rolekit: --cluster needs --name <cluster>');
    process.exit(EXIT.usage);
  }
  return { etcd: opts.cluster, name: opts.name, json: opts.json === true };
}

withCluster(adminCommand('status', 'the state, the last reload and every role instance with its status (--cluster: every member)')).action(async (opts) => {
  const cluster = clusterTarget(opts);
  process.exitCode = cluster ? await clusterStatusCommand(cluster) : await adminCommands.status(target(opts));
});
withCluster(adminCommand('reload', 'hot-reload role code (all module roles, or these and their dependents; --cluster: member by member)'))
  .argument('[roles...]', 'role names')
  .action(async (roles: string[], opts) => {
    const cluster = clusterTarget(opts);
    process.exitCode = cluster ? await clusterReload(cluster, roles) : await adminCommands.reload(target(opts), roles);
  });
adminCommand('update-list', 'role files changed on disk, and the roles they affect (ejabberd update_list)').action(async (opts) => {
  process.exitCode = await adminCommands.updateList(target(opts));
});
adminCommand('update', 'reload the roles whose files changed (or these and their dependents)')
  .argument('[roles...]', 'role names')
  .action(async (roles: string[], opts) => {
    process.exitCode = await adminCommands.update(target(opts), roles);
  });
adminCommand('forbid-reload', 'pause reloads (Cartridge forbid_reload)').action(async (opts) => {
  process.exitCode = await adminCommands.forbidReload(target(opts));
});
adminCommand('allow-reload', 'resume reloads').action(async (opts) => {
  process.exitCode = await adminCommands.allowReload(target(opts));
});
withCluster(adminCommand('apply', "apply a file's document (roles, config, hosts) to the running service, or (--cluster) to every member in two phases"))
  .argument('<file>', 'configuration file (YAML or JSON)')
  .option('--timeout <ms>', 'with --cluster: how long members have to vote (default 10000)', (v: string) => {
    const ms = Number(v);
    if (!Number.isFinite(ms) || ms <= 0) {
      console.error(`rolekit: --timeout takes a number of milliseconds, got ${JSON.stringify(v)}`);
      process.exit(EXIT.usage);
    }
    return ms;
  })
  .action(async (file: string, opts) => {
    const cluster = clusterTarget(opts);
    process.exitCode = cluster ? await clusterApply(cluster, file, opts.timeout) : await adminCommands.apply(target(opts), file);
  });

await program.parseAsync();
