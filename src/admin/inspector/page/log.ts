// The event log: newest first, bounded, filterable by type; a row opens to
// show the event's JSON.

const hiddenTypes = new Set<string>();

function typeGroup(type: string): string {
  return KNOWN_TYPES.includes(type) ? type : 'other';
}

function logRow(e: Ev): HTMLElement {
  const type = h('span', 'badge type', e.type);
  type.dataset.type = typeGroup(e.type);
  const failed = e.raw.ok === false || (e.raw.result !== undefined && e.raw.result !== 'ok') || e.raw.error !== undefined;
  const row = h(
    'details',
    `log-row${failed ? ' failed' : ''}`,
    h('summary', undefined, h('span', 'mono time', clock(e.time)), h('span', 'mono seq', e.seq === undefined ? '' : `#${e.seq}`), type, h('span', 'text', summary(e))),
    h('pre', 'json', safeJson(e.raw)),
  );
  row.dataset.type = typeGroup(e.type);
  row.hidden = hiddenTypes.has(typeGroup(e.type));
  return row;
}

let logShown = 0;

function renderLog(): void {
  const box = byId('log');
  // Rows are added, never rebuilt: the log is the panel that grows fastest.
  const fresh = store.log.slice(Math.max(0, store.log.length - Math.min(store.log.length, logShownDelta())));
  for (const e of fresh) box.prepend(logRow(e));
  while (box.childElementCount > LOG_LIMIT) box.lastElementChild?.remove();
  logShown = store.logTotal;
  byId('log-empty').hidden = box.childElementCount > 0;
  renderLogFilters();
}

function logShownDelta(): number {
  return store.logTotal - logShown;
}

function renderLogFilters(): void {
  const counts = new Map<string, number>();
  for (const e of store.log) counts.set(typeGroup(e.type), (counts.get(typeGroup(e.type)) ?? 0) + 1);
  const box = byId('log-filters');
  box.replaceChildren(
    ...[...KNOWN_TYPES, 'other'].map((t) => {
      const b = h('button', 'chip', t, h('span', 'n', String(counts.get(t) ?? 0)));
      b.type = 'button';
      b.dataset.type = t;
      b.dataset.action = 'filter';
      b.setAttribute('aria-pressed', String(!hiddenTypes.has(t)));
      return b;
    }),
  );
}

function toggleType(type: string): void {
  if (hiddenTypes.has(type)) hiddenTypes.delete(type);
  else hiddenTypes.add(type);
  for (const row of byId('log').children) (row as HTMLElement).hidden = hiddenTypes.has((row as HTMLElement).dataset.type ?? '');
  renderLogFilters();
}
