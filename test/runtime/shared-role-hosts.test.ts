import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRuntime, defineRole, type HostContext } from '../../src/index.js';
import { silent } from '../helpers.js';

describe('a shared role across hosts', () => {
  it('gets addHost once per host that enables it; hostCtx.config follows each apply, and validateConfig sees it as prev', async () => {
    const parts = new Map<string, HostContext<{ rooms: number }>>();
    const calls: string[] = [];
    const rt = await createRuntime({
      roles: [
        defineRole({
          name: 'muc',
          scope: 'shared',
          config: z.object({ rooms: z.number().default(1) }),
          validateConfig: (conf, prev) => void calls.push(`validate:${JSON.stringify(conf)}<-${JSON.stringify(prev)}`),
          init: () => void calls.push('init'),
          applyConfig: (conf) => void calls.push(`apply:${conf.rooms}`),
          addHost(hostCtx) {
            calls.push(`addHost:${hostCtx.host}:${hostCtx.config.rooms}`);
            parts.set(hostCtx.host!, hostCtx);
          },
        }),
      ],
      logger: silent,
    });
    await rt.applyConfig({ config: { muc: { rooms: 5 } }, hosts: { 'a.example.com': { roles: ['muc'], config: { muc: { rooms: 2 } } } } });
    expect(calls).toEqual([
      'validate:{"rooms":5}<-undefined',
      'validate:{"rooms":2}<-undefined',
      'init',
      'apply:5',
      'addHost:a.example.com:2',
    ]);
    calls.length = 0;

    await rt.applyConfig({
      config: { muc: { rooms: 6 } },
      hosts: {
        'a.example.com': { roles: ['muc'], config: { muc: { rooms: 3 } } },
        'b.example.com': { roles: ['muc'] },
      },
    });
    expect(calls).toEqual([
      'validate:{"rooms":6}<-{"rooms":5}',
      'validate:{"rooms":3}<-{"rooms":2}',
      'validate:{"rooms":6}<-undefined',
      'apply:6',
      'addHost:b.example.com:6',
    ]);
    expect(parts.get('a.example.com')!.config).toEqual({ rooms: 3 });
    expect(parts.get('b.example.com')!.config).toEqual({ rooms: 6 });
    await rt.stop();
  });
});
