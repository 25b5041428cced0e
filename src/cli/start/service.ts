/**
 * What `rolekit start <file>` runs: one runtime built from the file, its
 * routes on the `http` listener, and the file kept applied — on SIGHUP and,
 * with `watch: true`, whenever it changes on disk. With `cluster:` the
 * document comes from etcd instead (rolekit/cluster), the file keeps the
 * instance's own settings. Built on rolekit's public
 * API alone, like any application that embeds it.
 *
 * A re-read never makes things worse: a file that does not read, parse or
 * validate leaves the running configuration as it is, and says why in the log
 * and in the status of the `rolekit.config-file` role (docs/configuration.md).
 * @module
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import {
  BusyError,
  ConfigFileError,
  HotReloadError,
  ValidateConfigError,
  createRuntime,
  serializeError,
  formatConfigFileError,
  locateIssues,
  readConfigFile,
  type ConfigFile,
  type ConfigFileSettings,
  type Runtime,
} from '../../index.js';
import { joinCluster, type ClusterMember } from '../../cluster/index.js';
import { serveAdmin, type AdminServer } from '../../admin/index.js';
import { configFileRole, type ConfigFileStatus } from './config-file-role.js';
import { runtimeOptionsOf } from '../runtime-options.js';
import { listenHttp, type HttpListener } from './http-listener.js';
import { watchConfigFile, type ConfigFileWatcher } from './config-watch.js';
import { settingsChanges } from './settings-changes.js';


export interface ServiceOptions {
  log: Logger;
  env?: NodeJS.ProcessEnv;
}

/** Why the file is read again. */
export type RereadReason = 'watch' | 'SIGHUP';

export class Service {
  readonly rt: Runtime;
  readonly file: string;
  readonly #log: Logger;
  readonly #env: NodeJS.ProcessEnv;
  readonly #status: ConfigFileStatus;
  /** The settings the service started with: only the document is re-applied (settings-changes.ts). */
  readonly #settings: ConfigFileSettings;
  #appliedHash: string;
  /** The role modules running now (a re-read with another list reloads code). */
  #modules: string[];
  #listener: HttpListener | undefined;
  /** With `cluster:` in the file: this instance's membership; the document comes from etcd. */
  #member: ClusterMember | undefined;
  /** With `admin:` in the file: the admin API and the inspector page on a listener of their own. */
  #admin: AdminServer | undefined;
  #watcher: ConfigFileWatcher | undefined;
  /** Re-reads run one at a time; a request during one runs once after it. */
  #rereading: Promise<void> | undefined;
  #again: RereadReason | undefined;
  #stopping = false;

  private constructor(init: { rt: Runtime; file: string; config: ConfigFile; hash: string; status: ConfigFileStatus; log: Logger; env: NodeJS.ProcessEnv }) {
    this.rt = init.rt;
    this.file = init.file;
    this.#settings = init.config.settings;
    this.#appliedHash = init.hash;
    this.#modules = init.config.settings.modules;
    this.#status = init.status;
    this.#log = init.log;
    this.#env = init.env;
  }

  /**
   * Read the file, create the runtime, apply the document, listen. Rejects
   * (ConfigFileError, RegisterRoleError, a listen error) when the service can
   * not start; a document whose roles fail to start is not such a case: the
   * service runs in OperationError, as Cartridge does, and the next apply retries.
   */
  static async start(file: string, options: ServiceOptions): Promise<Service> {
    const env = options.env ?? process.env;
    const log = options.log;
    const path = resolve(file);
    const { config, hash } = await readHashed(path, env);
    const { settings } = config;
    // The file's log level, unless ROLEKIT_LOG_LEVEL (which wins) set the logger's already.
    if (settings.log?.level !== undefined && !env.ROLEKIT_LOG_LEVEL?.trim()) log.level = settings.log.level;
    const { role, status } = configFileRole();
    const rt = await createRuntime({
      ...runtimeOptionsOf(path, settings),
      roles: [role, ...settings.modules],
      reloadAllowed: settings.reloadAllowed,
      // Without reloadAllowed, watching role code could only ever be refused: the file is still watched.
      watch: settings.watch && settings.reloadAllowed,
      logger: log,
    });
    const service = new Service({ rt, file: path, config, hash, status, log, env });
    try {
      if (settings.cluster) {
        // The document is the cluster's (the file may not hold one): registered, then the committed one applied.
        service.#member = await joinCluster(rt, { ...settings.cluster, log });
        status.report('ok', `${path}: settings applied; the document comes from cluster "${settings.cluster.name}"`);
      } else await service.#applyFirst(config);
      if (settings.admin) {
        // The file's token, else ROLEKIT_ADMIN_TOKEN; without one the admin binds to loopback only.
        const token = settings.admin.token ?? (env.ROLEKIT_ADMIN_TOKEN?.trim() || undefined);
        service.#admin = await serveAdmin(rt, {
          host: settings.admin.host,
          port: settings.admin.port,
          ...(token !== undefined && { token }),
          ...(settings.admin.bodyLimit !== undefined && { bodyLimit: settings.admin.bodyLimit }),
          ...(service.#member && { cluster: service.#member }),
        });
      }
      if (settings.http) {
        service.#listener = await listenHttp(rt.fetch, settings.http);
      }
      if (settings.watch) {
        if (!settings.reloadAllowed) log.warn('watch: true without reloadAllowed: the file is watched, role code changes are not reloaded');
        service.#watcher = await watchConfigFile(path, { log, onChange: () => service.reread('watch') });
      }
    } catch (err) {
      await service.stop().catch(() => {});
      throw err;
    }
    return service;
  }

  /** The limits a graceful stop is bounded by (createRuntime's defaults where the file sets none). */
  get timeouts(): { drain: number; stop: number } {
    return { drain: this.#settings.timeouts?.drain ?? 10_000, stop: this.#settings.timeouts?.stop ?? 10_000 };
  }

  get url(): string | undefined {
    return this.#listener?.url;
  }

  /** The admin listener's URL, when the file has `admin:`. */
  get adminUrl(): string | undefined {
    return this.#admin?.url;
  }

  async #applyFirst(config: ConfigFile): Promise<void> {
    try {
      await this.rt.applyConfig(config.document);
    } catch (err) {
      if (err instanceof ValidateConfigError) throw locateIssues(config, err);
      // Roles that failed to start: the service runs, in OperationError, with what works.
      this.#log.error({ err }, 'the configuration was applied with failures; the next apply retries');
    }
    this.#status.report('ok', `${this.file} applied`);
  }

  /** Read the file again and apply what changed. Never rejects: problems are logged and shown in the status. */
  reread(reason: RereadReason): Promise<void> {
    if (this.#stopping) return Promise.resolve();
    if (this.#rereading) {
      this.#again = reason;
      return this.#rereading;
    }
    const run = async () => {
      let next: RereadReason | undefined = reason;
      while (next !== undefined && !this.#stopping) {
        this.#again = undefined;
        try {
          await this.#reread(next);
        } catch (err) {
          this.#log.error({ err }, 'reading the configuration file failed');
        }
        next = this.#again;
      }
      this.#rereading = undefined;
    };
    this.#rereading = run();
    return this.#rereading;
  }

  async #reread(reason: RereadReason): Promise<void> {
    let read: { config: ConfigFile; hash: string };
    try {
      read = await readHashed(this.file, this.#env);
    } catch (err) {
      return this.#refuse(err);
    }
    const { config, hash } = read;
    // An editor that saves without changing anything (or a second event for one save) changes nothing.
    if (reason === 'watch' && hash === this.#appliedHash) return;
    for (const change of settingsChanges(this.#settings, config.settings)) {
      this.#log.warn({ setting: change.key }, `${change.key} changed: ${change.effect}`);
    }
    if (reason === 'SIGHUP') await this.#updateCode();
    const sameModules = isDeepStrictEqual(config.settings.modules, this.#modules);
    let applied: boolean;
    if (this.#member) {
      // The document is the cluster's: a re-read only brings new modules (with the applied document).
      applied = sameModules || (await this.#reloadModules(config, false));
    } else applied = sameModules ? await this.#apply(config) : await this.#reloadModules(config, true);
    if (applied) this.#appliedHash = hash;
  }

  /** SIGHUP also reloads changed role code (ejabberd's update), when reloads are allowed. */
  async #updateCode(): Promise<void> {
    const { files, roles } = await this.rt.updateList();
    if (files.length === 0) return;
    if (!this.#settings.reloadAllowed) {
      this.#log.warn({ files, roles }, 'role files changed on disk, but reloadAllowed is false: not reloaded');
      return;
    }
    try {
      // The roles just listed: update() alone would hash every loaded file again. The reload logs its own line.
      await retryWhileBusy(() => this.rt.update(roles));
    } catch (err) {
      this.#log.error({ err, roles }, 'reloading changed role code failed; the previous code keeps serving');
    }
  }

  /**
   * A new `modules` list: a code reload that loads the added modules, drops the
   * others and applies the document with them, as one transaction
   * (`rt.reload({ modules, config })`). Without reloadAllowed it is refused,
   * and the document alone is applied to the running code.
   */
  async #reloadModules(config: ConfigFile, withDocument: boolean): Promise<boolean> {
    const modules = config.settings.modules;
    if (!this.#settings.reloadAllowed) {
      this.#log.warn({ modules }, 'modules changed, but reloadAllowed is false: not reloaded');
      return withDocument ? this.#apply(config) : false;
    }
    try {
      await retryWhileBusy(() => this.rt.reload(withDocument ? { modules, config: config.document } : { modules }));
    } catch (err) {
      // Refused, failed or rolled back: the previous modules and document serve (the state says which).
      // The new code rejecting the document is the file's problem: say where, like any invalid document.
      const cause = err instanceof HotReloadError && err.cause instanceof ValidateConfigError ? err.cause : undefined;
      this.#refuse(cause ? locateIssues(config, cause) : err);
      return false;
    }
    this.#modules = modules;
    this.#status.report('ok', `${this.file} applied`);
    this.#log.info({ file: this.file, modules, generation: this.rt.generation }, 'configuration file applied (new modules loaded)');
    return true;
  }

  /** Apply a document read from the file; true when it was applied (even with role failures). */
  async #apply(config: ConfigFile): Promise<boolean> {
    try {
      await retryWhileBusy(() => this.rt.applyConfig(config.document));
    } catch (err) {
      if (err instanceof ValidateConfigError) {
        this.#refuse(locateIssues(config, err));
        return false;
      }
      if (this.rt.state === 'OperationError') {
        this.#log.error({ err }, 'the configuration was applied with failures; the next apply retries');
      } else {
        // Refused before anything changed (a state that takes no apply): the running configuration stays.
        this.#log.error({ err }, 'the configuration was not applied');
        this.#status.report('error', `not applied: ${serializeError(err).message}`);
        return false;
      }
    }
    this.#status.report('ok', `${this.file} applied`);
    this.#log.info({ file: this.file, state: this.rt.state }, 'configuration file applied');
    return true;
  }

  /** A file that can not be used: say where and why; the running configuration stays. */
  #refuse(err: unknown): void {
    const lines = err instanceof ConfigFileError ? formatConfigFileError(err) : [serializeError(err).message];
    for (const line of lines) this.#log.error({ file: this.file }, `${line} (the running configuration stays)`);
    this.#status.report('error', lines.join('; '));
  }

  /**
   * Graceful stop: no new connections, requests in flight finish (each role
   * drains before it stops, at most timeouts.drain), roles stop dependents
   * first, then the connections left are closed.
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#watcher?.close();
    // Leave the cluster first: a member that is stopping must not vote for, or apply, anything more.
    await this.#member?.close().catch((err: unknown) => this.#log.warn({ err }, 'leaving the cluster failed'));
    this.#listener?.refuseNew();
    try {
      await this.rt.stop();
    } finally {
      this.#listener?.closeAll();
      // Last: the admin's event stream shows the shutdown to the end.
      await this.#admin?.close().catch((err: unknown) => this.#log.warn({ err }, 'closing the admin listener failed'));
    }
  }
}

/** The file, and a hash of what it says (not of its bytes: a comment changes nothing). */
async function readHashed(path: string, env: NodeJS.ProcessEnv): Promise<{ config: ConfigFile; hash: string }> {
  const config = await readConfigFile(path, { env });
  const hash = createHash('sha256').update(JSON.stringify([config.settings, config.document])).digest('hex');
  return { config, hash };
}

/** A watch-mode reload may be running when the file changes: wait for it rather than give up. */
async function retryWhileBusy<T>(call: () => Promise<T>, limitMs = 60_000): Promise<T> {
  const until = Date.now() + limitMs;
  for (;;) {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof BusyError) || Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
