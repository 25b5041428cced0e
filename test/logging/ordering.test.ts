/**
 * Log lines come out in the order things happened. pino's default destination
 * is asynchronous: it buffers lines while the application's own writes go out
 * at once, so a state change could be printed after what its listener printed,
 * or after the process moved on. The loggers rolekit builds write
 * synchronously, to one destination each.
 */
import { describe, expect, it } from 'vitest';
import { runChild } from './child.js';

const scenario = (logger: string) => `
const a = rolekit.defineRole({ name: 'a', init() { process.stdout.write('role a: init\\n'); } });
const b = rolekit.defineRole({
  name: 'b',
  dependencies: ['a'],
  applyConfig(_conf, ctx) { ctx.log.warn('b: applying'); throw new Error('b broke'); },
});
const rt = await rolekit.createRuntime({ roles: [a, b], logger: ${logger} });
rt.subscribe(({ state }) => process.stdout.write('listener: ' + state + '\\n'));
await rt.applyConfig({ roles: ['b'] }).catch(() => process.stdout.write('app: apply rejected\\n'));
await rt.stop();
`;

/** A line as a short label: log lines by their msg, the app's own lines as they are. */
const label = (line: string) => (line.startsWith('{') ? `log: ${JSON.parse(line).msg}` : line);

const EXPECTED = [
  'log: Unconfigured -> ConfiguringRoles',
  'listener: ConfiguringRoles',
  'role a: init',
  'log: b: applying',
  'log: Role "b" applyConfig failed',
  'log: ConfiguringRoles -> OperationError',
  'listener: OperationError',
  'app: apply rejected',
  'log: OperationError -> ShuttingDown',
  'listener: ShuttingDown',
  'log: ShuttingDown -> Stopped',
  'listener: Stopped',
];

describe('log line order', () => {
  it('state changes, role output, callback failures and listeners appear in the order they happened', async () => {
    const { stdout, stderr } = await runChild(scenario('true'));
    expect(stderr).toBe('');
    expect(stdout.split('\n').filter(Boolean).map(label)).toEqual(EXPECTED);
  });

  it('the same through pino options', async () => {
    const { stdout } = await runChild(scenario(`{ level: 'info' }`));
    expect(stdout.split('\n').filter(Boolean).map(label)).toEqual(EXPECTED);
  });

  it('the same on stderr when the role and the listener write there too (logger left out)', async () => {
    const { stdout, stderr } = await runChild(
      scenario('undefined').replaceAll('process.stdout.write', 'process.stderr.write'),
      { ROLEKIT_LOG_LEVEL: 'info' },
    );
    expect(stdout).toBe('');
    expect(stderr.split('\n').filter(Boolean).map(label)).toEqual(EXPECTED);
  });
});
