import { pino } from 'pino';
import { defineRole, type RoleDefinition } from '../src/index.js';

export const silent = pino({ level: 'silent' });

/** A call log shared by recording roles. */
export function recorder() {
  const calls: string[] = [];
  /** A role that records every callback as `callback:name`. */
  function role(name: string, extra: Partial<RoleDefinition> = {}) {
    return defineRole({
      name,
      validateConfig: () => void calls.push(`validate:${name}`),
      init: () => void calls.push(`init:${name}`),
      applyConfig: () => void calls.push(`apply:${name}`),
      stop: () => void calls.push(`stop:${name}`),
      ...extra,
    } as RoleDefinition);
  }
  return { calls, role };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
