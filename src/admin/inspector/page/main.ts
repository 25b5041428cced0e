// Wiring: the event stream (the page's only live input: no timer polls),
// ./status on every (re)connect and after each apply or reload, and one
// render per animation frame for whatever changed.

const dirty = { state: false, roles: false, ops: false, log: false };
let frame = 0;

function schedule(parts: Partial<typeof dirty>): void {
  for (const k of Object.keys(parts) as (keyof typeof dirty)[]) if (parts[k]) dirty[k] = true;
  if (!frame) frame = requestAnimationFrame(flush);
}

function flush(): void {
  frame = 0;
  const d = { ...dirty };
  dirty.state = dirty.roles = dirty.ops = dirty.log = false;
  if (d.state) {
    guarded('chart', renderChart);
    guarded('header', renderHeader);
  }
  if (d.roles) guarded('roles', renderRoles);
  if (d.ops) {
    guarded('timeline', renderTimeline);
    guarded('history', renderHistory);
  }
  if (d.log) guarded('log', renderLog);
}

let statusInFlight = false;
let statusAgain = false;

/** Fetches ./status; a call while one is in flight asks for one more after it, not one each. */
async function refreshStatus(): Promise<void> {
  if (statusInFlight) {
    statusAgain = true;
    return;
  }
  statusInFlight = true;
  const mark = store.logTotal;
  try {
    const res = await fetch(apiUrl('status'), { credentials: 'same-origin', headers: { accept: 'application/json' } });
    if (res.status === 401) {
      showAuth();
      return;
    }
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const body: unknown = await res.json();
    guarded('status', () => {
      takeStatus(body);
      // Events that came while the answer was on its way are as new as it, or newer: they win.
      const since = store.logTotal - mark;
      for (const e of since > 0 ? store.log.slice(-since) : []) replayOverStatus(e);
    });
    schedule({ state: true, roles: true, ops: true });
  } catch (err) {
    showToast('error', 'Could not read ./status', String(err));
  } finally {
    statusInFlight = false;
    if (statusAgain) {
      statusAgain = false;
      void refreshStatus();
    }
  }
}

function replayOverStatus(e: Ev): void {
  if (e.type === 'state') {
    store.state = str(e.raw.state, store.state);
    store.stateError = errorInfo(e.raw.error);
  } else if (e.type === 'status') takeStatusEvent(e);
}

function showAuth(): void {
  store.connection = 'unauthorized';
  byId('auth').hidden = false;
  schedule({ state: true });
}

function onStreamData(data: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    parsed = { type: 'unparsable', text: data.slice(0, 500) };
  }
  const e = toEvent(parsed);
  const changed = takeEvent(e);
  schedule({ ...changed, log: true });
  if (changed.refetch) void refreshStatus();
}

let stream: EventSource | undefined;

function connect(): void {
  stream = new EventSource(apiUrl('events'), { withCredentials: true });
  stream.onopen = () => {
    store.connection = 'live';
    schedule({ state: true });
    void refreshStatus();
  };
  stream.onerror = () => {
    // EventSource reconnects by itself (sending Last-Event-ID); a closed one was refused (e.g. 401).
    if (stream?.readyState === EventSource.CLOSED) {
      store.connection = 'unauthorized';
      void refreshStatus();
    } else store.connection = 'reconnecting';
    schedule({ state: true });
  };
  // The admin's frames carry no `event:` name (event-stream.ts): every one is a message.
  stream.onmessage = (m) => guarded('event', () => onStreamData(String(m.data)));
}

function start(): void {
  // ?token= has been turned into a cookie by the admin app: keep it out of the address bar and history.
  if (new URLSearchParams(location.search).has('token')) history.replaceState(null, '', location.pathname + location.hash);
  document.addEventListener('click', (ev) => guarded('action', () => onAction(ev.target as HTMLElement)));
  byId<HTMLSelectElement>('op-select').addEventListener('change', (ev) => {
    const key = (ev.target as HTMLSelectElement).value;
    // Picking the newest one means "follow": the next apply or reload shows when it comes.
    store.selectedOp = key === store.ops[store.ops.length - 1]?.key ? undefined : key;
    schedule({ ops: true });
  });
  byId('history').addEventListener('click', (ev) => {
    const row = (ev.target as HTMLElement).closest<HTMLElement>('tr[data-op]');
    if (!row) return;
    store.selectedOp = row.dataset.op === store.ops[store.ops.length - 1]?.key ? undefined : row.dataset.op;
    schedule({ ops: true });
    byId('timeline-card').scrollIntoView({ behavior: 'smooth', block: 'nearest' });
  });
  schedule({ state: true, roles: true, ops: true, log: true });
  connect();
}

start();
