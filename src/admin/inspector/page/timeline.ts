// The callbacks of one apply or reload, one row per role instance, a bar
// per call from its start to its end (an event's time is when the call
// settled, durationMs how long it ran): what Stately's inspector shows as a
// sequence diagram.

const CALLBACK_KINDS = ['validateConfig', 'init', 'applyConfig', 'addHost', 'stop', 'onApplyConfig'];

function opLabel(op: Operation): string {
  const gen = op.kind === 'reload' && op.generation !== undefined ? ` · gen ${op.generation}` : '';
  return `${clock(op.end)} ${op.kind} ${op.result}${gen} · ${duration(op.durationMs)} · ${op.callbacks.length} callback${op.callbacks.length === 1 ? '' : 's'}`;
}

function selectedOperation(): Operation | undefined {
  return store.ops.find((o) => o.key === store.selectedOp) ?? store.ops[store.ops.length - 1];
}

/** A step of 1, 2 or 5 × 10^n that cuts `span` into at most `max` pieces. */
function niceStep(span: number, max: number): number {
  const raw = span / max;
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

function renderTimeline(): void {
  const select = byId<HTMLSelectElement>('op-select');
  const ops = [...store.ops].reverse();
  const current = selectedOperation();
  select.replaceChildren(
    ...ops.map((op) => {
      const o = h('option', undefined, opLabel(op));
      o.value = op.key;
      o.selected = op === current;
      return o;
    }),
  );
  select.hidden = ops.length === 0;
  const box = byId('timeline');
  if (!current) {
    box.replaceChildren(h('p', 'empty', 'The callbacks of the next apply or reload show here.'));
    return;
  }
  const calls = current.callbacks;
  const end = current.end ?? Math.max(0, ...calls.map((c) => c.end ?? 0));
  const start = Math.min(end - (current.durationMs ?? 0), ...calls.map((c) => (c.end ?? end) - c.durationMs));
  const span = Math.max(end - start, ...calls.map((c) => (c.end ?? end) - start), 0.001);
  const rows = new Map<string, CallbackRun[]>();
  for (const c of calls) {
    const key = instanceName(c.role, c.host);
    let r = rows.get(key);
    if (!r) rows.set(key, (r = []));
    r.push(c);
  }
  const step = niceStep(span, 6);
  const axis = h('div', 'tl-axis');
  for (let t = 0; t <= span + 1e-9; t += step) {
    const tick = h('span', 'tl-tick', t === 0 ? '0' : duration(t));
    tick.style.left = `${(t / span) * 100}%`;
    if (t > 0 && t / span > 0.9) tick.classList.add('end');
    axis.append(tick);
  }
  const head = h('div', 'tl-row tl-head', h('span', 'tl-name', current.kind === 'reload' ? 'reload' : 'apply'), axis);
  const lines = [...rows.entries()].map(([name, runs]) => {
    const track = h('div', 'tl-track');
    for (const c of runs) {
      const from = (c.end ?? end) - c.durationMs - start;
      const bar = h('span', `tl-bar${c.ok ? '' : ' failed'}`, h('span', 'tl-bar-text', `${c.callback} ${duration(c.durationMs)}`));
      bar.dataset.callback = CALLBACK_KINDS.includes(c.callback) ? c.callback : 'other';
      bar.style.left = `${(from / span) * 100}%`;
      bar.style.width = `max(3px, ${(c.durationMs / span) * 100}%)`;
      bar.title = `${name} ${c.callback} ${c.ok ? 'ok' : 'failed'} in ${duration(c.durationMs)}, ended ${clock(c.end)}${c.error ? `\n${errorText(c.error)}` : ''}`;
      track.append(bar);
    }
    const row = h('div', 'tl-row', h('span', 'tl-name', name), track);
    row.dataset.instance = name;
    return row;
  });
  const legend = h(
    'div',
    'tl-legend',
    ...CALLBACK_KINDS.filter((k) => calls.some((c) => c.callback === k)).map((k) => {
      const key = h('span', 'tl-key', k);
      key.dataset.callback = k;
      return key;
    }),
  );
  const summaryLine = h('p', 'tl-summary', `${current.kind} ${current.result} in ${duration(current.durationMs)}, ended ${clock(current.end)}`);
  if (current.error) summaryLine.append(h('span', 'tl-error', ` — ${errorText(current.error)}`));
  if (!lines.length) {
    box.replaceChildren(summaryLine, h('p', 'empty', 'No callback ran.'));
    return;
  }
  box.replaceChildren(summaryLine, head, ...lines, legend);
  placeBarLabels(box);
}

/**
 * A bar's label goes inside it when it fits, else just after it when the
 * room up to the next bar allows, else only in its tooltip: labels never overlap.
 */
function placeBarLabels(box: HTMLElement): void {
  for (const track of box.querySelectorAll<HTMLElement>('.tl-track')) {
    const width = track.clientWidth;
    const bars = [...track.querySelectorAll<HTMLElement>('.tl-bar')].map((bar) => ({ bar, left: bar.offsetLeft, right: bar.offsetLeft + bar.offsetWidth }));
    bars.sort((a, b) => a.left - b.left);
    bars.forEach(({ bar, left, right }, i) => {
      const text = bar.querySelector<HTMLElement>('.tl-bar-text');
      if (!text) return;
      const need = text.scrollWidth;
      const room = (bars[i + 1]?.left ?? width) - right;
      bar.dataset.label = right - left >= need + 10 ? 'inside' : room >= need + 10 ? 'outside' : 'none';
    });
  }
}
