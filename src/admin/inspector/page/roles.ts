// Roles per host: status badge, running or not, code generation, the last
// callback that failed, and a button to reload just that role.

const STATUS_TYPES = ['ok', 'info', 'warn', 'error'];

function statusBadge(type: string): HTMLElement {
  const badge = h('span', 'badge status', type || '?');
  badge.dataset.kind = STATUS_TYPES.includes(type) ? type : 'info';
  return badge;
}

function roleItem(row: RoleRow): HTMLElement {
  const name = instanceName(row.role, row.host);
  const item = h('li', 'role');
  item.dataset.role = row.role;
  if (row.host) item.dataset.host = row.host;
  item.dataset.status = row.type;
  const gen = roleGeneration(row.role);
  const facts = h(
    'span',
    'facts',
    row.running === false ? h('span', 'fact warn', 'not running') : row.running === true ? h('span', 'fact', 'running') : undefined,
    gen !== undefined ? h('span', 'fact', `gen ${gen}`) : undefined,
  );
  const head = h('div', 'role-head', statusBadge(row.type), h('span', 'role-name', row.role), facts);
  const reload = h('button', 'small ghost', 'Reload');
  reload.type = 'button';
  reload.title = `Reload ${row.role} (and the roles that depend on it)`;
  reload.dataset.action = 'reload-role';
  reload.dataset.role = row.role;
  head.append(reload);
  item.append(head);
  if (row.message) {
    const msg = h('div', 'role-message');
    appendWithPlaces(msg, row.message);
    item.append(msg);
  }
  const failed = store.failures.get(name);
  if (failed) {
    const line = h('div', 'role-failed', h('span', 'cb', `${failed.callback} failed`), ` at ${clock(failed.end)}`);
    if (failed.error) {
      const msg = h('div', 'role-failed-error');
      appendWithPlaces(msg, errorText(failed.error));
      line.append(msg);
    }
    item.append(line);
  }
  return item;
}

function renderRoles(): void {
  const box = byId('roles');
  const groups = new Map<string, RoleRow[]>();
  for (const row of store.roles) {
    const key = row.host ?? '*';
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(row);
  }
  const keys = [...groups.keys()].sort((a, b) => (a === '*' ? -1 : b === '*' ? 1 : a.localeCompare(b)));
  const sections = keys.map((key) => {
    const rows = groups.get(key)!;
    const worst = rows.reduce((w, r) => Math.max(w, STATUS_TYPES.indexOf(r.type)), 0);
    const title = h('h3', 'host', h('span', 'host-name', key === '*' ? 'global' : key), h('span', 'count', `${rows.length} role${rows.length === 1 ? '' : 's'}`));
    title.dataset.kind = STATUS_TYPES[worst] ?? 'ok';
    const section = h('section', 'host-group', title, h('ul', 'role-list', ...rows.map(roleItem)));
    section.dataset.host = key;
    return section;
  });
  box.replaceChildren(...sections);
  if (!sections.length) box.append(h('p', 'empty', store.status ? 'No role is enabled.' : 'Waiting for ./status…'));
  byId('roles-count').textContent = store.roles.length ? String(store.roles.length) : '';
}
