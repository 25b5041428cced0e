/**
 * In-process members for the cluster tests: each is a real runtime with a
 * real role, joined to a real etcd, serving its routes on a real listener.
 * @module
 */
import { serve, type ServerType } from '@hono/node-server';
import { z } from 'zod';
import { createRuntime, defineRole, type Runtime } from '../../src/index.js';
import { joinCluster, type ClusterMember, type ClusterTimeouts } from '../../src/cluster/index.js';

/**
 * `greeter` serves GET /greeting with its configured text. Its validateConfig
 * depends on this member's own option: a member with `maxLength` rejects a
 * longer text (like a role reading an env var that differs on one machine).
 */
export function greeterRole(options: { maxLength?: number; validateDelayMs?: number } = {}) {
  let text = '';
  return defineRole({
    name: 'greeter',
    config: z.object({ text: z.string() }),
    async validateConfig(conf) {
      if (options.validateDelayMs) await new Promise((r) => setTimeout(r, options.validateDelayMs));
      if (options.maxLength !== undefined && conf.text.length > options.maxLength) {
        throw new Error(`text is longer than ${options.maxLength} characters on this member`);
      }
    },
    init(ctx) {
      ctx.route('GET', '/greeting', () => new Response(text));
    },
    applyConfig(conf) {
      text = conf.text;
    },
  });
}

export const greeting = (text: string) => ({ roles: ['greeter'], config: { greeter: { text } } });

export interface TestMember {
  instance: string;
  rt: Runtime;
  /** Replaceable: a test may close it and join again with the same runtime. */
  member: ClusterMember;
  url: string;
  /** GET /greeting over HTTP: what this member serves now. */
  served(): Promise<string>;
  close(): Promise<void>;
}

export async function startMember(
  etcd: string,
  name: string,
  instance: string,
  options: { maxLength?: number; validateDelayMs?: number; lease?: number; timeouts?: Partial<ClusterTimeouts>; roleFile?: string } = {},
): Promise<TestMember> {
  const rt = options.roleFile
    ? await createRuntime({ roles: [options.roleFile], reloadAllowed: true, logger: false })
    : await createRuntime({ roles: [greeterRole(options)], logger: false });
  const server: ServerType = serve({ fetch: rt.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise((r) => server.once('listening', r));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const member = await joinCluster(rt, { etcd: [etcd], name, instance, lease: options.lease ?? 2_000, timeouts: options.timeouts });
  const handle: TestMember = {
    instance,
    rt,
    member,
    url,
    async served() {
      const res = await fetch(`${url}/greeting`);
      return res.status === 200 ? res.text() : `HTTP ${res.status}`;
    },
    async close() {
      await handle.member.close();
      await new Promise((r) => server.close(r));
      await rt.stop();
    },
  };
  return handle;
}

let clusters = 0;
/** A cluster name no other test uses (tests share one etcd per file). */
export const freshName = () => `t${process.pid}-${++clusters}`;

/** Poll `check` until it returns true (or throw after `timeoutMs`, with `what`). */
export async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
