/**
 * One etcd3 client as the cluster wants it: a time limit on every request
 * (never on the watch and keepalive streams), a circuit breaker that retries
 * an endpoint after 250 ms instead of etcd3's 5 s (a member must reconnect
 * soon after etcd is back), and every failure to reach etcd turned into one
 * EtcdUnavailableError.
 * @module
 */
import { ConsecutiveBreaker, circuitBreaker, handleWhen, isBrokenCircuitError, retry } from 'cockatiel';
import { Etcd3, GRPCDeadlineExceededError, isRecoverableError, type IOptions } from 'etcd3';
import { messageOf } from '../index.js';
import { EtcdUnavailableError } from './errors.js';
import type { EtcdOptions } from './options.js';

const DEFAULT_REQUEST_TIMEOUT = 5_000;

export interface EtcdConnection {
  readonly client: Etcd3;
  /** Where it points, for messages: `http://127.0.0.1:2379, http://…`. */
  readonly endpoints: string;
  close(): void;
}

export function connectEtcd(options: EtcdOptions): EtcdConnection {
  const requestTimeout = options.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT;
  const recoverable = handleWhen((err) => isUnreachable(err));
  const config: IOptions = {
    hosts: [...options.etcd],
    dialTimeout: requestTimeout,
    defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + requestTimeout }),
    faultHandling: {
      host: () => circuitBreaker(recoverable, { halfOpenAfter: 250, breaker: new ConsecutiveBreaker(3) }),
      global: retry(recoverable, { maxAttempts: Math.max(1, options.etcd.length) }),
    },
  };
  if (options.tls) {
    config.credentials = {
      rootCertificate: Buffer.from(options.tls.ca),
      ...(options.tls.key ? { privateKey: Buffer.from(options.tls.key) } : {}),
      ...(options.tls.cert ? { certChain: Buffer.from(options.tls.cert) } : {}),
    };
  }
  if (options.auth) config.auth = { username: options.auth.username, password: options.auth.password };
  const client = new Etcd3(config);
  return {
    client,
    endpoints: options.etcd.join(', '),
    close: () => client.close(),
  };
}

/** The error means etcd was not reached (down, refused, too slow, every endpoint broken). */
export function isUnreachable(err: unknown): boolean {
  try {
    return isRecoverableError(err as Error) || isBrokenCircuitError(err) || err instanceof GRPCDeadlineExceededError;
  } catch {
    return false;
  }
}

/** Run one etcd step; a failure to reach etcd becomes an EtcdUnavailableError naming the endpoints. */
export async function viaEtcd<T>(connection: EtcdConnection, what: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (isUnreachable(err)) throw unavailable(connection, what, err);
    throw err;
  }
}

export function unavailable(connection: EtcdConnection, what: string, cause: unknown): EtcdUnavailableError {
  return new EtcdUnavailableError(`Can not ${what}: etcd at ${connection.endpoints} can not be reached: ${messageOf(cause)}`, { cause });
}
