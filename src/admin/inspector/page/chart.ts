// Lights the current state in the server-drawn chart, and the edge just taken.

function stateKind(state: string): 'ok' | 'busy' | 'error' | 'idle' {
  if (state === 'RolesConfigured') return 'ok';
  if (state === 'OperationError' || state === 'ReloadError') return 'error';
  if (state === 'ConfiguringRoles' || state === 'ReloadingRoles' || state === 'ShuttingDown') return 'busy';
  return 'idle';
}

function renderChart(): void {
  const svg = document.querySelector('svg.rk-chart');
  if (!svg) return;
  const kind = stateKind(store.state);
  for (const node of svg.querySelectorAll<SVGGElement>('[data-state]')) {
    const current = node.dataset.state === store.state;
    node.classList.toggle('is-current', current);
    node.classList.toggle('is-prev', !current && node.dataset.state === store.prev);
    for (const k of ['ok', 'busy', 'error', 'idle']) node.classList.toggle(`is-${k}`, current && k === kind);
  }
  // The edge taken: from the previous state, or from "any state" when no direct edge exists (STOP).
  const edges = [...svg.querySelectorAll<SVGGElement>('g.rk-edge')];
  const into = edges.filter((e) => e.dataset.to === store.state);
  const taken = into.filter((e) => e.dataset.from === store.prev);
  const lit = new Set(taken.length ? taken : store.prev ? into.filter((e) => e.dataset.from === '#any') : []);
  for (const e of edges) e.classList.toggle('is-taken', lit.has(e));
  const ids = new Set([...lit].map((e) => e.dataset.edge));
  for (const l of svg.querySelectorAll<SVGGElement>('g.rk-edge-label')) l.classList.toggle('is-taken', ids.has(l.dataset.edge));
}
