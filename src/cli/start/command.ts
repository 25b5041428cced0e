/**
 * `rolekit start <file>`: run the service a configuration file describes
 * until SIGTERM or SIGINT. SIGHUP re-reads the file (and reloads changed role
 * code), like `prosodyctl reload`. A graceful stop is bounded: past its
 * deadline, or on a second signal, the process exits 1 without waiting.
 * @module
 */
import type { Logger } from 'pino';
import { ConfigFileError, formatConfigFileError, serializeError } from '../../index.js';
import { createCliLogger } from '../cli-logger.js';
import { EXIT } from '../exit-codes.js';
import { Service } from './service.js';

/** Past this, on top of the drain and stop limits, a graceful stop gives up. */
const STOP_MARGIN_MS = 5_000;

export async function startCommand(file: string): Promise<void> {
  let log: Logger;
  try {
    log = createCliLogger();
  } catch (err) {
    console.error(`rolekit: ${serializeError(err).message}`);
    process.exitCode = EXIT.usage;
    return;
  }
  // Signals are handled from the first moment: a SIGHUP while starting must not kill the process.
  const signals = handleSignals(log);
  let service: Service;
  try {
    service = await Service.start(file, { log });
  } catch (err) {
    // Why it could not start goes to stderr, whatever the log's destination and level.
    const lines = err instanceof ConfigFileError ? formatConfigFileError(err) : [serializeError(err).message];
    for (const line of lines) process.stderr.write(`rolekit: ${line}\n`);
    process.exit(EXIT.refused);
  }
  signals.ready(service);
  if (service.adminUrl) log.info({ admin: service.adminUrl }, `admin API and inspector on ${service.adminUrl}`);
  if (service.url) log.info({ url: service.url }, `listening on ${service.url}`);
}

function handleSignals(log: Logger): { ready(service: Service): void } {
  let service: Service | undefined;
  let stopRequested: NodeJS.Signals | undefined;
  let stopping = false;
  process.on('SIGHUP', () => {
    if (!service) return log.info('SIGHUP while starting: the file is being read already');
    log.info('SIGHUP: reading the configuration file again');
    void service.reread('SIGHUP');
  });
  const stop = (signal: NodeJS.Signals, target: Service) => {
    stopping = true;
    log.info(`${signal}: stopping gracefully (send it again to exit at once)`);
    const limit = stopLimitMs(target);
    const guard = setTimeout(() => {
      log.error(`the graceful stop took longer than ${limit} ms: exiting`);
      process.exit(EXIT.refused);
    }, limit);
    guard.unref();
    target.stop().then(
      () => {
        log.info('stopped');
        // Whatever a role left behind (a socket it opened itself) must not keep a stopped service alive.
        process.exit(EXIT.ok);
      },
      (err: unknown) => {
        log.error({ err }, 'stopping failed');
        process.exit(EXIT.refused);
      },
    );
  };
  const onStop = (signal: NodeJS.Signals) => {
    if (stopping || stopRequested) {
      log.error(`${signal} again: exiting without waiting`);
      process.exit(EXIT.refused);
    }
    if (service) stop(signal, service);
    else stopRequested = signal; // still starting: stop as soon as it has started
  };
  process.on('SIGTERM', onStop);
  process.on('SIGINT', onStop);
  return {
    ready(started) {
      service = started;
      if (stopRequested) stop(stopRequested, started);
    },
  };
}

/** Drain, then each role's stop, plus a margin; `Infinity` limits give no deadline. */
function stopLimitMs(service: Service): number {
  const t = service.timeouts;
  const total = t.drain + t.stop * Math.max(1, service.rt.status().roles.length) + STOP_MARGIN_MS;
  return Number.isFinite(total) ? Math.min(total, 2 ** 31 - 1) : 2 ** 31 - 1;
}
