// The header (state, generation, connection, reload pause) and the problem
// banner that says why the runtime is in an error state.

function renderHeader(): void {
  const state = store.state || 'unknown';
  const pill = byId('state-pill');
  pill.dataset.kind = stateKind(store.state);
  byId('state-name').textContent = state;
  byId('generation').textContent = store.generation === undefined ? 'generation —' : `generation ${store.generation}`;
  const forbidden = byId('forbidden');
  forbidden.hidden = store.reloadForbidden !== true;
  const conn = byId('conn');
  conn.dataset.conn = store.connection;
  byId('conn-text').textContent =
    store.connection === 'live' ? 'live' : store.connection === 'unauthorized' ? 'not signed in' : store.connection === 'reconnecting' ? 'reconnecting…' : 'connecting…';
  document.title = `${state} · ${byId('title').textContent ?? 'rolekit'}`;
  byId<HTMLButtonElement>('btn-forbid').disabled = busyAction || store.reloadForbidden === true;
  byId<HTMLButtonElement>('btn-allow').disabled = busyAction || store.reloadForbidden === false;
  byId<HTMLButtonElement>('btn-reload').disabled = busyAction;
  byId<HTMLButtonElement>('btn-retry').disabled = busyAction;
  renderProblem();
}

function lastReload(): ReloadEntry | undefined {
  return reloadHistory()[0];
}

function renderProblem(): void {
  const box = byId('problem');
  const inError = store.state === 'ReloadError' || store.state === 'OperationError';
  box.hidden = !inError;
  if (!inError) return;
  const reload = store.state === 'ReloadError' ? lastReload() : undefined;
  const err = store.stateError ?? reload?.error;
  byId('problem-title').textContent = store.state === 'ReloadError' ? 'Reload failed' : 'The last apply failed';
  const serving = byId('problem-serving');
  const servingKnown = reload?.previousCodeServing ?? statusPreviousCodeServing();
  serving.hidden = store.state !== 'ReloadError' || servingKnown === undefined;
  serving.textContent = servingKnown ? 'previous code is serving' : 'previous code is not serving';
  serving.dataset.kind = servingKnown ? 'ok' : 'error';
  const text = byId('problem-text');
  text.replaceChildren();
  appendWithPlaces(text, err ? errorText(err) : 'No error text was reported.');
  // The answer to the button that caused this says the same: the banner is enough.
  if (toastDetail && problemShows(toastDetail)) byId('toast').hidden = true;
  const place = err ? firstPlace(err.message) : undefined;
  const where = byId('problem-place');
  where.hidden = !place;
  where.textContent = place ? `at ${place}` : '';
  byId('btn-retry').hidden = store.state !== 'ReloadError';
}

function statusPreviousCodeServing(): boolean | undefined {
  const r = dict(store.status?.reload);
  return typeof r.previousCodeServing === 'boolean' ? r.previousCodeServing : undefined;
}

/** Whether the problem banner shows `message` already. */
function problemShows(message: string): boolean {
  return !byId('problem').hidden && (byId('problem-text').textContent ?? '').includes(message);
}
