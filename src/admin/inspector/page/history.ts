// The reload history: newest first, from ./status and the event stream.

function renderHistory(): void {
  const box = byId('history');
  const entries = reloadHistory();
  if (!entries.length) {
    box.replaceChildren(h('p', 'empty', 'No reload yet.'));
    return;
  }
  const head = h('tr', undefined, ...['when', 'result', 'roles', 'gen', 'took', 'previous code'].map((t) => h('th', undefined, t)));
  const rows = entries.map((e) => {
    const result = h('span', 'badge', e.result);
    result.dataset.kind = e.result === 'ok' ? 'ok' : e.result === 'rolled-back' ? 'warn' : 'error';
    const serving = e.previousCodeServing === undefined ? '—' : e.previousCodeServing ? 'serving' : 'not serving';
    const tr = h(
      'tr',
      e.op ? 'pickable' : undefined,
      h('td', 'mono', clock(e.time)),
      h('td', undefined, result),
      h('td', 'roles-cell', e.roles.join(', ') || '—'),
      h('td', 'mono', e.generation === undefined ? '—' : String(e.generation)),
      h('td', 'mono', duration(e.durationMs)),
      h('td', undefined, serving),
    );
    if (e.op) {
      tr.dataset.op = e.op;
      tr.title = 'Show its callbacks';
      tr.classList.toggle('selected', e.op === selectedOperation()?.key);
    }
    const out: HTMLElement[] = [tr];
    if (e.error) {
      const cell = h('td', 'history-error');
      cell.colSpan = 6;
      appendWithPlaces(cell, errorText(e.error));
      out.push(h('tr', 'error-row', cell));
    }
    return out;
  });
  box.replaceChildren(h('table', 'history', h('thead', undefined, head), h('tbody', undefined, ...rows.flat())));
}
