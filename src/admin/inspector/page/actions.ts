// The buttons: reload (retry is the same call), reload one role, forbid and
// allow reloads. Each answer is shown; an error as the admin API words it.

let busyAction = false;

/** The admin API's base: the page's own path, as a folder (the page is the mount's root). */
function apiUrl(path: string): string {
  const base = location.pathname.endsWith('/') ? location.pathname : `${location.pathname}/`;
  return `${base}${path}`;
}

/** The detail of the error toast showing, so that the problem banner does not say it twice. */
let toastDetail = '';

function showToast(kind: 'ok' | 'error' | 'info', title: string, detail?: string, issues?: string[]): void {
  const toast = byId('toast');
  toastDetail = kind === 'error' ? (detail ?? '') : '';
  if (toastDetail && !issues?.length && problemShows(toastDetail)) {
    toast.hidden = true;
    return;
  }
  toast.dataset.kind = kind;
  const body = h('div', 'toast-body', h('strong', undefined, title));
  if (detail) {
    const p = h('div', 'toast-detail');
    appendWithPlaces(p, detail);
    body.append(p);
  }
  if (issues?.length) body.append(h('ul', 'issues', ...issues.map((i) => h('li', undefined, i))));
  const close = h('button', 'small ghost', 'Dismiss');
  close.type = 'button';
  close.dataset.action = 'dismiss';
  toast.replaceChildren(body, close);
  toast.hidden = false;
  // A success says its word and goes; an error stays until dismissed. (A one-off timer, never a poll.)
  clearTimeout(toastTimer);
  if (kind === 'ok') toastTimer = setTimeout(() => (toast.hidden = true), 4000);
}

let toastTimer: ReturnType<typeof setTimeout> | undefined;

/** `{ error: { name, message, issues? } }` of the admin API, or the bare HTTP status. */
function apiError(status: number, body: unknown): { title: string; detail: string; issues: string[] } {
  const err = dict(dict(body).error);
  const issues = list(err.issues).map((i) => {
    const d = dict(i);
    const path = str(d.path);
    return `${str(d.instance) ? `${str(d.instance)}: ` : ''}${path ? `${path}: ` : ''}${str(d.message, safeJson(i, 0))}`;
  });
  const name = str(err.name, `HTTP ${status}`);
  return { title: name, detail: str(err.message, status === 401 ? 'Not signed in: open the page with ?token=…' : ''), issues };
}

async function post(path: string, body: unknown, label: string): Promise<boolean> {
  if (busyAction) return false;
  busyAction = true;
  renderHeader();
  showToast('info', `${label}…`);
  try {
    const res = await fetch(apiUrl(path), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (res.ok) {
      showToast('ok', `${label}: done`);
      return true;
    } else {
      const e = apiError(res.status, json);
      showToast('error', `${label} failed — ${e.title}`, e.detail || text.slice(0, 500), e.issues);
      if (res.status === 401) showAuth();
      return false;
    }
  } catch (err) {
    showToast('error', `${label} failed`, `The admin API could not be reached (${String(err)}).`);
    return false;
  } finally {
    busyAction = false;
    renderHeader();
  }
}

function onAction(target: HTMLElement): void {
  const button = target.closest<HTMLElement>('[data-action]');
  if (!button) return;
  switch (button.dataset.action) {
    case 'reload':
      void post('reload', {}, 'Reload');
      break;
    case 'retry':
      void post('reload', {}, 'Retry');
      break;
    case 'reload-role': {
      const role = button.dataset.role ?? '';
      void post('reload', { roles: [role] }, `Reload ${role}`);
      break;
    }
    case 'forbid':
      void post('reload/forbid', {}, 'Forbid reloads').then((ok) => setForbidden(ok, true));
      break;
    case 'allow':
      void post('reload/allow', {}, 'Allow reloads').then((ok) => setForbidden(ok, false));
      break;
    case 'filter':
      toggleType(button.dataset.type ?? '');
      break;
    case 'dismiss':
      byId('toast').hidden = true;
      break;
  }
}

/** ./status may not say whether reloads are paused: the answer to forbid / allow does. */
function setForbidden(ok: boolean, forbidden: boolean): void {
  if (ok) store.reloadForbidden = forbidden;
  renderHeader();
}
