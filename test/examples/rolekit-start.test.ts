/**
 * `npm start`: the example service as `rolekit start examples/service/rolekit.yaml`
 * runs it — a real process, real sockets, two virtual hosts, a graceful stop
 * with a request in flight.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { get, startRolekit, type RolekitProcess } from '../cli/rolekit-process.js';

describe('the example service under rolekit start (npm start)', () => {
  let rk: RolekitProcess | undefined;
  afterEach(async () => {
    if (rk && rk.proc.exitCode === null) {
      rk.kill('SIGKILL');
      await rk.exit;
    }
  });

  it('serves its roles and both hosts, and stops gracefully with a request in flight', async () => {
    rk = startRolekit('examples/service/rolekit.yaml', { env: { PORT: '0', ADMIN_PORT: '0' } });
    const url = await rk.url;
    expect(JSON.parse((await get(url, '/hello/world')).body)).toEqual({ message: 'Hello, world!', visits: 1 });
    expect(JSON.parse((await get(url, '/', 'localhost')).body)).toEqual({ host: 'localhost', title: 'rolekit example' });
    expect(JSON.parse((await get(url, '/', 'shop.localhost:8080')).body)).toEqual({ host: 'shop.localhost', title: 'The shop' });
    expect((await get(url, '/', 'elsewhere.example')).status).toBe(404);
    // The admin API and the inspector page, on loopback without a token.
    const admin = (await rk.waitFor((l) => typeof l.admin === 'string')).admin as string;
    const status = JSON.parse((await get(admin, '/status')).body) as { state: string; hosts: Record<string, Record<string, unknown>> };
    expect(status.state).toBe('RolesConfigured');
    expect(Object.keys(status.hosts).sort()).toEqual(['*', 'localhost', 'shop.localhost']);
    expect((await get(admin, '/')).body).toMatch(/^<!doctype html>/i);

    // SIGTERM while a request is inside its handler: it finishes, then the roles stop, then exit 0.
    const slow = get(url, '/wait/400');
    await new Promise((r) => setTimeout(r, 100));
    rk.kill('SIGTERM');
    expect(await slow).toMatchObject({ status: 200, body: '{"waited":400}\n' });
    expect(await rk.exit).toBe(0);
    const stops = rk.lines().filter((l) => l.msg === 'stopped' || l.msg.startsWith('SIGTERM'));
    expect(stops.map((l) => l.msg)).toEqual(['SIGTERM: stopping gracefully (send it again to exit at once)', 'stopped']);
  });
});
