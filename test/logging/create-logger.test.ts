/**
 * `createRuntime({ logger })` in every form (API.md section 2), observed on a
 * child process's real stdout and stderr.
 */
import { describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/index.js';
import { APP_ONLY, jsonLines, runChild, service } from './child.js';

const msgs = (lines: Record<string, any>[]) => lines.map((l) => l.msg);

describe('logger left out', () => {
  it('writes nothing to stdout, and warnings and errors as pino JSON lines on stderr', async () => {
    const { stdout, stderr, code } = await runChild(service());
    expect(code).toBe(0);
    expect(stdout).toBe(APP_ONLY);
    const lines = jsonLines(stderr);
    expect(msgs(lines)).toEqual(['Role "bad" init failed', 'ConfiguringRoles -> OperationError']);
    expect(lines.every((l) => l.level >= 40 && l.name === 'rolekit')).toBe(true);
    expect(lines[0]).toMatchObject({ level: 50, role: 'bad', callback: 'init', err: { type: 'Error', message: 'boom' } });
    expect(lines[1]).toMatchObject({ level: 40, from: 'ConfiguringRoles', to: 'OperationError', err: { type: 'ApplyConfigError' } });
  });

  it('ROLEKIT_LOG_LEVEL lowers the level, still on stderr', async () => {
    const { stdout, stderr } = await runChild(service(), { ROLEKIT_LOG_LEVEL: 'debug' });
    expect(stdout).toBe(APP_ONLY);
    const lines = jsonLines(stderr);
    expect(msgs(lines)).toContain('Unconfigured -> ConfiguringRoles');
    expect(msgs(lines)).toContain('ok applied');
    expect(msgs(lines)).toContain('ok debug');
    // The time each callback took, at debug.
    expect(lines).toContainEqual(expect.objectContaining({ level: 20, role: 'ok', callback: 'applyConfig', ok: true }));
  });
});

describe('logger: false', () => {
  it('is silent, whatever ROLEKIT_LOG_LEVEL says', async () => {
    const { stdout, stderr } = await runChild(service('false'), { ROLEKIT_LOG_LEVEL: 'debug' });
    expect(stdout).toBe(APP_ONLY);
    expect(stderr).toBe('');
  });
});

describe('logger: true', () => {
  it('logs info and above as pino JSON lines on stdout, between the lines of the app, nothing on stderr', async () => {
    const { stdout, stderr } = await runChild(service('true'));
    expect(stderr).toBe('');
    const [first, ...rest] = stdout.split('\n').filter(Boolean);
    expect(first).toBe('app: before');
    expect(rest.at(-1)).toBe('app: after');
    const lines = jsonLines(rest.slice(0, -1).join('\n'));
    expect(msgs(lines)).toEqual([
      'Unconfigured -> ConfiguringRoles',
      'ok applied',
      'Role "bad" init failed',
      'ConfiguringRoles -> OperationError',
      'OperationError -> ShuttingDown',
      'ShuttingDown -> Stopped',
    ]);
    expect(lines[1]).toMatchObject({ level: 30, name: 'rolekit', role: 'ok' });
  });

  it('ROLEKIT_LOG_LEVEL raises the level', async () => {
    const { stdout } = await runChild(service('true'), { ROLEKIT_LOG_LEVEL: 'error' });
    const lines = jsonLines(stdout.split('\n').filter((l) => l.startsWith('{')).join('\n'));
    expect(msgs(lines)).toEqual(['Role "bad" init failed']);
  });
});

describe('logger: pino options', () => {
  it('configures the pino rolekit builds (on stdout, rolekit error serializer kept)', async () => {
    const { stdout, stderr } = await runChild(service(`{ level: 'debug', name: 'shop', base: { app: 'shop' } }`));
    expect(stderr).toBe('');
    const lines = jsonLines(stdout.split('\n').filter((l) => l.startsWith('{')).join('\n'));
    expect(lines.every((l) => l.name === 'shop' && l.app === 'shop')).toBe(true);
    expect(msgs(lines)).toContain('ok debug');
    expect(lines.find((l) => l.msg === 'Role "bad" init failed')).toMatchObject({ err: { type: 'Error', message: 'boom' } });
  });

  it('with custom levels, ROLEKIT_LOG_LEVEL may name one of them', async () => {
    const { stdout, code } = await runChild(service(`{ customLevels: { audit: 45 } }`), { ROLEKIT_LOG_LEVEL: 'audit' });
    expect(code).toBe(0);
    const lines = jsonLines(stdout.split('\n').filter((l) => l.startsWith('{')).join('\n'));
    expect(msgs(lines)).toEqual(['Role "bad" init failed']);
  });
});

describe('logger: a pino-compatible logger', () => {
  it('is used as given: its destination, its level (ROLEKIT_LOG_LEVEL leaves it alone), child() bindings per role', async () => {
    const logger = `pino({ level: 'info' }, pino.destination({ dest: 2, sync: true })).child({ app: 'mine' })`;
    const { stdout, stderr } = await runChild(service(logger), { ROLEKIT_LOG_LEVEL: 'debug' });
    expect(stdout).toBe(APP_ONLY);
    const lines = jsonLines(stderr);
    expect(lines.every((l) => l.app === 'mine' && l.name === undefined)).toBe(true);
    expect(msgs(lines)).toContain('ok applied');
    expect(msgs(lines)).not.toContain('ok debug');
    expect(lines.find((l) => l.msg === 'ok applied')).toMatchObject({ role: 'ok' });
  });

  it('an equivalent that is not pino works too', async () => {
    const { stdout } = await runChild(`
const seen = [];
const make = (bindings) => {
  const log = { child: (more) => make({ ...bindings, ...more }) };
  for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace']) {
    log[level] = (obj, msg) => seen.push([level, bindings.role ?? '-', typeof obj === 'string' ? obj : msg]);
  }
  return log;
};
${service('make({})')}
console.log(JSON.stringify(seen));
`);
    const seen = JSON.parse(stdout.split('\n').filter(Boolean).at(-1)!);
    expect(seen).toContainEqual(['info', 'ok', 'ok applied']);
    expect(seen).toContainEqual(['error', '-', 'Role "bad" init failed']);
    expect(seen).toContainEqual(['warn', '-', 'ConfiguringRoles -> OperationError']);
  });
});

describe('logger: console', () => {
  it('is adapted: one readable line per call, info on stdout, warnings and errors on stderr', async () => {
    const { stdout, stderr, code } = await runChild(service('console'));
    expect(code).toBe(0);
    expect(stdout.split('\n')).toEqual([
      'app: before',
      'rolekit info: Unconfigured -> ConfiguringRoles from="Unconfigured" to="ConfiguringRoles"',
      'rolekit info: ok applied role="ok"',
      'rolekit info: OperationError -> ShuttingDown from="OperationError" to="ShuttingDown"',
      'rolekit info: ShuttingDown -> Stopped from="ShuttingDown" to="Stopped"',
      'app: after',
      '',
    ]);
    const lines = stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^rolekit error: Role "bad" init failed role="bad" callback="init" durationMs=[\d.]+ err="Error: boom"$/);
    expect(lines[1]).toBe(
      'rolekit warn: ConfiguringRoles -> OperationError from="ConfiguringRoles" to="OperationError" ' +
        'err="ApplyConfigError: Applying configuration failed: role \\"bad\\" init: boom"',
    );
  });

  it('ROLEKIT_LOG_LEVEL sets its level', async () => {
    const { stdout, stderr } = await runChild(service('console'), { ROLEKIT_LOG_LEVEL: 'error' });
    expect(stdout).toBe(APP_ONLY);
    expect(stderr.split('\n').filter(Boolean)).toEqual([expect.stringMatching(/^rolekit error: Role "bad" init failed/)]);
  });
});

describe('ROLEKIT_LOG_LEVEL', () => {
  it('an unknown level is refused by createRuntime with the valid ones listed, not with pino internals', async () => {
    const { stdout, stderr, code } = await runChild(
      `
for (const logger of [undefined, true, false, { level: 'info' }, console]) {
  const err = await rolekit.createRuntime({ roles: [], logger }).then(() => undefined, (e) => e);
  console.log(err?.name + ': ' + err?.message);
}`,
      { ROLEKIT_LOG_LEVEL: 'bogus' },
    );
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const refusal = 'RangeError: createRuntime: ROLEKIT_LOG_LEVEL "bogus" is not a log level; valid levels: fatal, error, warn, info, debug, trace, silent';
    expect(stdout.split('\n').filter(Boolean)).toEqual([refusal, refusal, refusal, refusal, refusal]);
  });

  it('takes a standard level in capitals', async () => {
    const { stdout, code } = await runChild(service('true'), { ROLEKIT_LOG_LEVEL: 'ERROR' });
    expect(code).toBe(0);
    expect(msgs(jsonLines(stdout.split('\n').filter((l) => l.startsWith('{')).join('\n')))).toEqual(['Role "bad" init failed']);
  });
});

describe('what createRuntime refuses as a logger', () => {
  const refusal = (logger: unknown) => createRuntime({ roles: [], logger: logger as never }).then(() => undefined, (e: unknown) => e);

  it('an object with some of a logger\'s methods but not all, naming what it lacks', async () => {
    const err = await refusal({ info() {}, error() {}, warn() {} });
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toBe(
      "createRuntime: logger needs pino's methods fatal, error, warn, info, debug, trace, child; this one has no fatal, debug, trace, child (pass console itself, pino options, or a pino logger)",
    );
  });

  it.each([
    ['a string', 'info', 'string'],
    ['null', null, 'null'],
    ['a number', 1, 'number'],
  ])('%s', async (_label, logger, kind) => {
    const err = await refusal(logger);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toBe(`createRuntime: logger must be false, true, pino options, a pino-compatible logger or console, got ${kind}`);
  });

  it('pino options with an unknown level, listing the valid ones', async () => {
    const err = await refusal({ level: 'loud', customLevels: { audit: 35 } });
    expect(err).toBeInstanceOf(RangeError);
    expect((err as Error).message).toBe('createRuntime: logger.level "loud" is not a log level; valid levels: fatal, error, warn, info, debug, trace, audit, silent');
  });
});
