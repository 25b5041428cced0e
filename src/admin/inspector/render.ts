/**
 * `renderInspectorPage()`: the inspector as one self-contained HTML document
 * (inline CSS, inline script, inline SVG chart; nothing fetched but the admin
 * API itself, by relative URLs). The admin app serves it at `GET /`.
 * @module
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stateChart } from './chart.js';
import { eventLabel } from './chart-model.js';
import { escapeMarkup as esc } from './escape.js';
import { INSPECTOR_CSS } from './styles.js';

export interface InspectorPageOptions {
  /** Shown in the header and the tab's title. Default `rolekit`. */
  title?: string;
}

/**
 * The page's script, compiled from `page/*.ts` by `npm run build` into
 * `dist/admin/inspector/page.js`, next to this module once built. Run from
 * the sources (tests), this module sits in `src/` and reads the built twin.
 */
const SCRIPT_CANDIDATES = ['./page.js', '../../../dist/admin/inspector/page.js'];

let script: string | undefined;

function pageScript(): string {
  if (script === undefined) {
    const file = SCRIPT_CANDIDATES.map((c) => fileURLToPath(new URL(c, import.meta.url))).find((f) => existsSync(f));
    if (!file) throw new Error(`The inspector page's script is not built (looked for ${SCRIPT_CANDIDATES.join(', ')} next to ${import.meta.url}); run npm run build`);
    // One function scope, so that the page's helpers are no globals of the document.
    script = `(() => {\n${readFileSync(file, 'utf8')}\n})();\n`;
  }
  return script;
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

function chartNotes(): string {
  const notes = stateChart().notes;
  if (!notes.length) return '';
  const anywhere = notes.filter((n) => n.state === '*').map((n) => `<code>${esc(eventLabel(n.event))}</code>`);
  const local = notes.filter((n) => n.state !== '*').map((n) => `<code>${esc(eventLabel(n.event))}</code> in ${esc(n.state)}`);
  const parts = [anywhere.length ? `${anywhere.join(', ')} in any state` : '', local.length ? `${local.join(', ')} (ignored)` : ''].filter(Boolean);
  return `<p class="chart-notes">No state change: ${parts.join('; ')}.</p>`;
}

/**
 * One complete HTML document. Its Content-Security-Policy allows exactly its
 * own inline script and style (by hash) and requests to its own origin.
 */
export function renderInspectorPage(options: InspectorPageOptions = {}): string {
  const title = options.title ?? 'rolekit';
  const js = pageScript();
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(js)}`,
    `style-src ${sha256(INSPECTOR_CSS)}`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${esc(title)} · inspector</title>
<style>${INSPECTOR_CSS}</style>
</head>
<body>
<header class="top">
  <div class="brand"><span class="logo" aria-hidden="true"></span><h1 id="title">${esc(title)}</h1></div>
  <span class="state-pill" id="state-pill" data-kind="idle" title="Lifecycle state"><span class="dot"></span><span id="state-name">…</span></span>
  <span class="meta" id="generation">generation —</span>
  <span class="badge" id="forbidden" hidden>reloads forbidden</span>
  <span class="spacer"></span>
  <span class="conn" id="conn" data-conn="connecting"><span class="dot"></span><span id="conn-text">connecting…</span></span>
  <div class="actions">
    <button type="button" class="primary" id="btn-reload" data-action="reload" title="Reload all role code from disk">Reload</button>
    <button type="button" id="btn-forbid" data-action="forbid" title="Pause reloads">Forbid</button>
    <button type="button" id="btn-allow" data-action="allow" title="Resume reloads">Allow</button>
  </div>
</header>
<div id="toast" class="toast" role="status" aria-live="polite" hidden></div>
<section id="problem" class="problem" role="alert" hidden>
  <div class="problem-head"><strong id="problem-title"></strong><span class="problem-place" id="problem-place" hidden></span><span class="badge" id="problem-serving" hidden></span></div>
  <pre id="problem-text"></pre>
  <button type="button" class="danger" id="btn-retry" data-action="retry" hidden>Retry</button>
</section>
<section id="auth" class="auth" hidden>
  <strong>Sign in</strong> — the admin API wants its token. It is kept as an HttpOnly cookie for this page.
  <form method="get" action=""><input type="password" name="token" placeholder="admin token" autocomplete="current-password" required><button type="submit" class="primary">Open</button></form>
</section>
<main class="grid">
  <section class="card" id="chart-card"><h2>Lifecycle</h2><div class="chart-wrap">${stateChart().svg}</div>${chartNotes()}</section>
  <section class="card" id="roles-card"><h2>Roles <span class="count-badge" id="roles-count"></span></h2><div id="roles"></div></section>
  <section class="card" id="timeline-card"><h2>Callbacks</h2><div class="tl-controls"><select id="op-select" aria-label="Apply or reload to show" hidden></select></div><div id="timeline"></div></section>
  <section class="card" id="history-card"><h2>Reloads</h2><div id="history"></div></section>
  <section class="card" id="log-card"><h2>Events</h2><div class="log-filters" id="log-filters"></div><div id="log"></div><p class="empty" id="log-empty">No event yet.</p></section>
</main>
<script>${js}</script>
</body>
</html>
`;
}
