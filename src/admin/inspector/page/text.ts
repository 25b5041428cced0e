// The words the page shows for events and errors.

function refList(label: string, v: unknown): string | undefined {
  const names = refs(v);
  return names.length ? `${label} ${names.join(', ')}` : undefined;
}

function errorText(err: { name: string; message: string } | undefined): string {
  if (!err) return '';
  return err.message ? `${err.name}: ${err.message}` : err.name;
}

/** One line for an event in the log. */
function summary(e: Ev): string {
  const d = e.raw;
  const err = errorText(errorInfo(d.error));
  const tail = err ? ` — ${err}` : '';
  switch (e.type) {
    case 'state':
      return `${str(d.prev, '?')} → ${str(d.state, '?')}${tail}`;
    case 'apply': {
      const parts = [str(d.result, '?'), duration(num(d.durationMs)), refList('started', d.started), refList('stopped', d.stopped), refList('applied', d.applied)];
      return parts.filter(Boolean).join(' · ') + tail;
    }
    case 'reload': {
      const roles = list(d.roles).map((r) => str(r, '?'));
      const parts = [
        str(d.result, '?'),
        roles.length ? `roles ${roles.join(', ')}` : undefined,
        num(d.generation) !== undefined ? `generation ${num(d.generation)}` : undefined,
        duration(num(d.durationMs)),
        d.previousCodeServing === true ? 'previous code serving' : undefined,
      ];
      return parts.filter(Boolean).join(' · ') + tail;
    }
    case 'callback':
      return `${instanceName(str(d.role, '?'), str(d.host) || undefined)} ${str(d.callback, '?')} ${d.ok === false ? 'failed' : 'ok'} · ${duration(num(d.durationMs))}${tail}`;
    case 'status': {
      const s = dict(d.status);
      const msg = str(s.message);
      return `${instanceName(str(d.role, '?'), str(d.host) || undefined)} → ${str(s.type, '?')}${msg ? `: ${msg}` : ''}`;
    }
    default: {
      const rest: Dict = { ...d };
      delete rest.type;
      delete rest.seq;
      delete rest.time;
      const text = safeJson(rest, 0);
      return text.length > 240 ? `${text.slice(0, 239)}…` : text;
    }
  }
}

/** `path/to/file.ts:12:5` (and `file://` URLs) inside error text: the place a syntax error is. */
const PLACE = /((?:file:\/\/)?(?:[A-Za-z]:)?[^\s:()'"`<>]*\.(?:[cm]?[jt]sx?|json)):(\d+)(?::(\d+))?/g;

/** Appends `text` to `parent`, with every file:line:col in it marked. Text only: no markup is parsed. */
function appendWithPlaces(parent: HTMLElement, text: string): void {
  let last = 0;
  for (const m of text.matchAll(PLACE)) {
    const at = m.index ?? 0;
    if (at > last) parent.append(text.slice(last, at));
    parent.append(h('mark', 'place', m[0]));
    last = at + m[0].length;
  }
  if (last < text.length) parent.append(text.slice(last));
}

/** The first file:line:col in `text`, if any. */
function firstPlace(text: string): string | undefined {
  PLACE.lastIndex = 0;
  const m = PLACE.exec(text);
  PLACE.lastIndex = 0;
  return m?.[0];
}
