/** The inspector page's stylesheet: light and dark (prefers-color-scheme), no web fonts, no images. */
export const INSPECTOR_CSS = `
:root {
  color-scheme: light dark;
  --bg: #f4f5f7; --card: #ffffff; --card-2: #f8f9fb; --line: #e2e5ea; --line-2: #d3d8df;
  --text: #1d2230; --muted: #667085; --faint: #98a2b3;
  --accent: #3d63dd; --accent-soft: #e8edfc; --on-accent: #ffffff;
  --ok: #18864b; --ok-soft: #e3f4ea; --info: #2f6fd6; --info-soft: #e5eefb;
  --warn: #a86a00; --warn-soft: #fbf0d9; --error: #c8323a; --error-soft: #fbe6e6;
  --busy: #6d4fd8; --busy-soft: #ede8fc;
  --chart-box: #f6f7f9; --chart-line: #a0a8b5; --chart-text: #2c3340;
  --cb-validateConfig: #8b95a7; --cb-init: #3d63dd; --cb-applyConfig: #18864b; --cb-addHost: #0e8a94;
  --cb-stop: #b7791f; --cb-onApplyConfig: #8e5bd6; --cb-other: #98a2b3;
  --shadow: 0 1px 2px rgba(16, 24, 40, .05), 0 1px 3px rgba(16, 24, 40, .06);
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0e1014; --card: #161920; --card-2: #1b1f27; --line: #262b35; --line-2: #333a46;
    --text: #e4e7ed; --muted: #9aa3b2; --faint: #6b7484;
    --accent: #7c9cff; --accent-soft: #1f2847; --on-accent: #0b1020;
    --ok: #4cc27f; --ok-soft: #143222; --info: #6ea2ff; --info-soft: #16263f;
    --warn: #e3a93b; --warn-soft: #3a2c10; --error: #ff6b6b; --error-soft: #3d1719;
    --busy: #a58bff; --busy-soft: #271f45;
    --chart-box: #1d212a; --chart-line: #5d6676; --chart-text: #d6dae2;
    --cb-validateConfig: #7d879a; --cb-init: #6f8fff; --cb-applyConfig: #3fb26f; --cb-addHost: #2bb3bd;
    --cb-stop: #d99a3c; --cb-onApplyConfig: #a982ee; --cb-other: #6b7484;
    --shadow: none;
  }
}
* { box-sizing: border-box; }
html, body { margin: 0; background: var(--bg); color: var(--text); font: 14px/1.45 var(--sans); }
button, select { font: inherit; color: inherit; }
.mono, pre, code { font-family: var(--mono); }
[hidden] { display: none !important; }

header.top {
  position: sticky; top: 0; z-index: 5; display: flex; align-items: center; gap: 14px; flex-wrap: wrap;
  padding: 10px 20px; background: color-mix(in srgb, var(--card) 88%, transparent);
  backdrop-filter: blur(8px); border-bottom: 1px solid var(--line);
}
.brand { display: flex; align-items: center; gap: 9px; }
.brand h1 { margin: 0; font-size: 15px; font-weight: 650; letter-spacing: .01em; }
.logo { width: 18px; height: 18px; border-radius: 5px; background: linear-gradient(135deg, var(--accent), var(--busy)); }
.state-pill {
  display: inline-flex; align-items: center; gap: 8px; padding: 4px 12px 4px 10px; border-radius: 999px;
  font: 600 13px var(--mono); background: var(--card-2); border: 1px solid var(--line-2);
}
.state-pill .dot, .conn .dot { width: 8px; height: 8px; border-radius: 50%; background: var(--faint); }
.state-pill[data-kind=ok] { background: var(--ok-soft); border-color: transparent; color: var(--ok); }
.state-pill[data-kind=ok] .dot { background: var(--ok); }
.state-pill[data-kind=error] { background: var(--error-soft); border-color: transparent; color: var(--error); }
.state-pill[data-kind=error] .dot { background: var(--error); }
.state-pill[data-kind=busy] { background: var(--busy-soft); border-color: transparent; color: var(--busy); }
.state-pill[data-kind=busy] .dot { background: var(--busy); animation: pulse 1s ease-in-out infinite; }
.meta { color: var(--muted); font-size: 13px; }
.spacer { flex: 1; }
.conn { display: inline-flex; align-items: center; gap: 6px; color: var(--muted); font-size: 12.5px; }
.conn[data-conn=live] .dot { background: var(--ok); box-shadow: 0 0 0 3px var(--ok-soft); }
.conn[data-conn=reconnecting] .dot, .conn[data-conn=connecting] .dot { background: var(--warn); }
.conn[data-conn=unauthorized] .dot { background: var(--error); }
.actions { display: flex; gap: 6px; }
button {
  cursor: pointer; padding: 6px 12px; border-radius: 8px; border: 1px solid var(--line-2);
  background: var(--card); font-size: 13px; font-weight: 550; transition: background .12s, border-color .12s;
}
button:hover:not(:disabled) { background: var(--card-2); border-color: var(--faint); }
button:disabled { opacity: .5; cursor: default; }
button:focus-visible, select:focus-visible, summary:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
button.primary { background: var(--accent); border-color: var(--accent); color: var(--on-accent); }
button.primary:hover:not(:disabled) { background: color-mix(in srgb, var(--accent) 88%, #000); border-color: transparent; }
button.danger { background: var(--error); border-color: var(--error); color: var(--on-accent); }
button.danger:hover:not(:disabled) { background: color-mix(in srgb, var(--error) 88%, #000); }
button.small { padding: 2px 8px; font-size: 12px; border-radius: 6px; }
button.ghost { background: transparent; border-color: transparent; color: var(--muted); }
button.ghost:hover:not(:disabled) { color: var(--text); }

.badge {
  display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 11.5px; font-weight: 600;
  background: var(--card-2); color: var(--muted); border: 1px solid var(--line); white-space: nowrap;
}
.badge[data-kind=ok] { background: var(--ok-soft); color: var(--ok); border-color: transparent; }
.badge[data-kind=info] { background: var(--info-soft); color: var(--info); border-color: transparent; }
.badge[data-kind=warn] { background: var(--warn-soft); color: var(--warn); border-color: transparent; }
.badge[data-kind=error] { background: var(--error-soft); color: var(--error); border-color: transparent; }
#forbidden { background: var(--warn-soft); color: var(--warn); border-color: transparent; }

.banner-area { padding: 0 20px; }
.toast {
  display: flex; align-items: flex-start; gap: 12px; margin: 12px 20px 0; padding: 10px 14px;
  border-radius: 10px; border: 1px solid var(--line); background: var(--card); box-shadow: var(--shadow);
}
.toast[data-kind=ok] { border-left: 4px solid var(--ok); }
.toast[data-kind=info] { border-left: 4px solid var(--info); }
.toast[data-kind=error] { border-left: 4px solid var(--error); }
.toast-body { flex: 1; min-width: 0; }
.toast-detail { margin-top: 2px; font: 12.5px/1.5 var(--mono); white-space: pre-wrap; word-break: break-word; }
.issues { margin: 6px 0 0; padding-left: 18px; font: 12.5px var(--mono); }

.problem {
  margin: 14px 20px 0; padding: 14px 18px; border-radius: 12px; background: var(--error-soft);
  border: 1px solid color-mix(in srgb, var(--error) 35%, transparent);
}
.problem-head { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
.problem-head strong { color: var(--error); font-size: 15px; }
.problem-place { font: 600 12.5px var(--mono); color: var(--error); }
.problem pre {
  margin: 10px 0 12px; padding: 10px 12px; border-radius: 8px; background: var(--card); color: var(--text);
  font-size: 13px; line-height: 1.5; white-space: pre-wrap; word-break: break-word; max-height: 240px; overflow: auto;
}
mark.place { background: color-mix(in srgb, var(--error) 18%, transparent); color: inherit; font-weight: 650; border-radius: 3px; padding: 0 2px; }

.auth { margin: 14px 20px 0; padding: 14px 18px; border-radius: 12px; background: var(--card); border: 1px solid var(--line); }
.auth form { display: flex; gap: 8px; margin-top: 8px; }
.auth input { flex: 0 1 320px; padding: 6px 10px; border-radius: 8px; border: 1px solid var(--line-2); background: var(--card-2); color: var(--text); font: 13px var(--mono); }

main.grid {
  display: grid; gap: 16px; padding: 16px 20px 28px;
  grid-template-columns: minmax(0, 1.05fr) minmax(0, 1fr);
  grid-template-areas: "chart roles" "timeline history" "log log";
  align-items: start;
}
@media (max-width: 1000px) { main.grid { grid-template-columns: minmax(0, 1fr); grid-template-areas: "chart" "roles" "timeline" "history" "log"; } }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 12px; box-shadow: var(--shadow); padding: 14px 16px 16px; min-width: 0; }
.card > h2 { display: flex; align-items: center; gap: 8px; margin: 0 0 10px; font-size: 13px; font-weight: 650; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
.card > h2 .count-badge { font: 600 11.5px var(--sans); letter-spacing: 0; text-transform: none; background: var(--card-2); border: 1px solid var(--line); border-radius: 999px; padding: 0 7px; color: var(--muted); }
.card > h2 .count-badge:empty { display: none; }
#chart-card { grid-area: chart; }
#roles-card { grid-area: roles; }
#timeline-card { grid-area: timeline; }
#history-card { grid-area: history; }
#log-card { grid-area: log; }
.empty { color: var(--faint); margin: 6px 0; font-size: 13px; }

/* The chart */
.chart-wrap { overflow: auto; }
svg.rk-chart { display: block; width: 100%; height: auto; max-width: 760px; margin: 0 auto; }
.rk-chart text { font-family: var(--mono); text-anchor: middle; dominant-baseline: central; }
.rk-box { fill: var(--chart-box); stroke: var(--chart-line); stroke-width: 1.2; transition: fill .2s, stroke .2s; }
.rk-box-inner { fill: none; stroke: var(--chart-line); stroke-width: 1; }
.rk-label { fill: var(--chart-text); font-weight: 600; }
.rk-detail { fill: var(--faint); }
.rk-any .rk-box { fill: none; stroke-dasharray: 4 3; }
.rk-any .rk-label { fill: var(--muted); font-weight: 500; }
.rk-initial circle { fill: var(--chart-text); }
.rk-edge path { fill: none; stroke: var(--chart-line); stroke-width: 1.25; transition: stroke .2s; }
.rk-edge-any path { stroke-dasharray: 5 4; }
.rk-arrowhead { fill: var(--chart-line); }
.rk-arrowhead-lit { fill: var(--accent); }
.rk-edge-label rect { fill: var(--card); opacity: .92; }
.rk-event { fill: var(--chart-text); }
.rk-guard { fill: var(--faint); }
.rk-node.is-prev .rk-box { stroke-dasharray: 3 2; stroke: var(--faint); }
.rk-node.is-current .rk-box { stroke-width: 2.2; }
.rk-node.is-current .rk-label { font-weight: 750; }
.rk-node.is-ok .rk-box { fill: var(--ok-soft); stroke: var(--ok); filter: drop-shadow(0 0 5px color-mix(in srgb, var(--ok) 45%, transparent)); }
.rk-node.is-ok .rk-label { fill: var(--ok); }
.rk-node.is-error .rk-box { fill: var(--error-soft); stroke: var(--error); filter: drop-shadow(0 0 5px color-mix(in srgb, var(--error) 45%, transparent)); }
.rk-node.is-error .rk-label { fill: var(--error); }
.rk-node.is-busy .rk-box { fill: var(--busy-soft); stroke: var(--busy); animation: pulse 1s ease-in-out infinite; }
.rk-node.is-busy .rk-label { fill: var(--busy); }
.rk-node.is-idle .rk-box { fill: var(--accent-soft); stroke: var(--accent); }
.rk-node.is-idle .rk-label { fill: var(--accent); }
.rk-edge.is-taken path { stroke: var(--accent); stroke-width: 2; marker-end: url(#rk-arrow-lit); }
.rk-edge-label.is-taken .rk-event { fill: var(--accent); font-weight: 700; }
.chart-notes { margin: 8px 0 0; color: var(--faint); font-size: 12px; text-align: center; }
.chart-notes code { font-size: 11.5px; color: var(--muted); }
@keyframes pulse { 50% { opacity: .55; } }
@media (prefers-reduced-motion: reduce) { * { animation: none !important; transition: none !important; } }

/* Roles */
.host-group + .host-group { margin-top: 12px; }
h3.host { display: flex; align-items: baseline; gap: 8px; margin: 0 0 6px; font-size: 13px; font-weight: 650; }
h3.host .host-name { font-family: var(--mono); }
h3.host::before { content: ""; width: 7px; height: 7px; border-radius: 50%; background: var(--ok); align-self: center; }
h3.host[data-kind=info]::before { background: var(--info); }
h3.host[data-kind=warn]::before { background: var(--warn); }
h3.host[data-kind=error]::before { background: var(--error); }
h3.host .count { color: var(--faint); font-weight: 500; font-size: 12px; }
.role-list { list-style: none; margin: 0; padding: 0; border: 1px solid var(--line); border-radius: 10px; overflow: hidden; }
.role { padding: 7px 10px; }
.role + .role { border-top: 1px solid var(--line); }
.role[data-status=error] { background: color-mix(in srgb, var(--error-soft) 55%, transparent); }
.role-head { display: flex; align-items: center; gap: 8px; }
.role-head .badge.status { min-width: 44px; text-align: center; }
.role-name { font: 600 13px var(--mono); }
.facts { display: flex; gap: 6px; flex: 1; color: var(--faint); font-size: 12px; }
.fact.warn { color: var(--warn); }
.role-message { margin: 3px 0 0 52px; color: var(--muted); font-size: 12.5px; word-break: break-word; }
.role-failed { margin: 4px 0 0 52px; font-size: 12px; color: var(--faint); }
.role-failed .cb { color: var(--error); font: 600 12px var(--mono); }
.role-failed-error { color: var(--error); font: 12px/1.45 var(--mono); white-space: pre-wrap; word-break: break-word; }

/* Timeline */
.tl-controls { display: flex; gap: 8px; align-items: center; margin-bottom: 8px; }
#op-select { max-width: 100%; padding: 4px 8px; border-radius: 8px; border: 1px solid var(--line-2); background: var(--card-2); font: 12.5px var(--mono); }
.tl-summary { margin: 0 0 10px; font-size: 13px; color: var(--muted); }
.tl-error { color: var(--error); font-family: var(--mono); font-size: 12.5px; }
.tl-row { display: grid; grid-template-columns: minmax(90px, 30%) 1fr; align-items: center; gap: 10px; min-height: 26px; }
.tl-row + .tl-row:not(.tl-head) { border-top: 1px dashed var(--line); }
.tl-name { font: 12.5px var(--mono); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.tl-head .tl-name { color: var(--faint); font-family: var(--sans); font-size: 11.5px; text-transform: uppercase; letter-spacing: .06em; }
.tl-axis { position: relative; height: 18px; border-bottom: 1px solid var(--line-2); }
.tl-tick { position: absolute; bottom: 2px; transform: translateX(-50%); font: 10.5px var(--mono); color: var(--faint); white-space: nowrap; }
.tl-tick:first-child { transform: none; }
.tl-tick.end { transform: translateX(-100%); }
.tl-track { position: relative; height: 22px; overflow: hidden; }
.tl-bar {
  position: absolute; top: 4px; height: 14px; border-radius: 4px; background: var(--cb-other);
  display: flex; align-items: center; overflow: visible; min-width: 3px;
}
.tl-bar[data-callback=validateConfig] { background: var(--cb-validateConfig); }
.tl-bar[data-callback=init] { background: var(--cb-init); }
.tl-bar[data-callback=applyConfig] { background: var(--cb-applyConfig); }
.tl-bar[data-callback=addHost] { background: var(--cb-addHost); }
.tl-bar[data-callback=stop] { background: var(--cb-stop); }
.tl-bar[data-callback=onApplyConfig] { background: var(--cb-onApplyConfig); }
.tl-bar.failed { background: repeating-linear-gradient(135deg, var(--error) 0 5px, color-mix(in srgb, var(--error) 70%, #fff) 5px 10px); }
.tl-bar-text { position: absolute; left: calc(100% + 5px); font: 11px var(--mono); color: var(--muted); white-space: nowrap; }
.tl-bar[data-label=inside] .tl-bar-text { left: 6px; color: #fff; }
.tl-bar[data-label=none] .tl-bar-text { visibility: hidden; }
.tl-bar.failed .tl-bar-text { color: var(--error); font-weight: 600; }
.tl-bar.failed[data-label=inside] .tl-bar-text { color: #fff; }
.tl-legend { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 10px; }
.tl-key { display: inline-flex; align-items: center; gap: 5px; font: 11.5px var(--mono); color: var(--muted); }
.tl-key::before { content: ""; width: 10px; height: 10px; border-radius: 3px; background: var(--cb-other); }
.tl-key[data-callback=validateConfig]::before { background: var(--cb-validateConfig); }
.tl-key[data-callback=init]::before { background: var(--cb-init); }
.tl-key[data-callback=applyConfig]::before { background: var(--cb-applyConfig); }
.tl-key[data-callback=addHost]::before { background: var(--cb-addHost); }
.tl-key[data-callback=stop]::before { background: var(--cb-stop); }
.tl-key[data-callback=onApplyConfig]::before { background: var(--cb-onApplyConfig); }

/* Reload history */
table.history { width: 100%; border-collapse: collapse; font-size: 12.5px; }
table.history th { text-align: left; font-weight: 600; color: var(--faint); font-size: 11.5px; padding: 4px 8px; border-bottom: 1px solid var(--line); }
table.history td { padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
table.history tr.pickable { cursor: pointer; }
table.history tr.pickable:hover td { background: var(--card-2); }
table.history tr.selected td { background: var(--accent-soft); }
table.history tr.error-row td { padding-top: 0; border-top: none; }
tr:has(+ tr.error-row) td { border-bottom: none; }
.roles-cell { font-family: var(--mono); word-break: break-word; }
.history-error { color: var(--error); font: 12px/1.45 var(--mono); white-space: pre-wrap; word-break: break-word; }

/* Event log */
.log-filters { display: flex; flex-wrap: wrap; gap: 6px; margin-bottom: 10px; }
.chip { padding: 2px 10px; border-radius: 999px; font-size: 12px; font-weight: 550; }
.chip .n { margin-left: 6px; color: var(--faint); font-weight: 500; }
.chip[aria-pressed=false] { opacity: .45; text-decoration: line-through; }
#log { max-height: 420px; overflow: auto; border: 1px solid var(--line); border-radius: 10px; }
.log-row > summary { display: grid; grid-template-columns: 96px 52px 74px 1fr; gap: 8px; align-items: baseline; padding: 4px 10px; cursor: pointer; list-style: none; font-size: 12.5px; }
.log-row > summary::-webkit-details-marker { display: none; }
.log-row + .log-row { border-top: 1px solid var(--line); }
.log-row > summary:hover { background: var(--card-2); }
.log-row .time { color: var(--muted); font-size: 12px; }
.log-row .seq { color: var(--faint); font-size: 11.5px; text-align: right; }
.log-row .type { text-align: center; }
.log-row .text { font-family: var(--mono); font-size: 12px; word-break: break-word; }
.log-row.failed .text { color: var(--error); }
.badge.type[data-type=state] { background: var(--accent-soft); color: var(--accent); border-color: transparent; }
.badge.type[data-type=apply] { background: var(--ok-soft); color: var(--ok); border-color: transparent; }
.badge.type[data-type=reload] { background: var(--busy-soft); color: var(--busy); border-color: transparent; }
.badge.type[data-type=status] { background: var(--warn-soft); color: var(--warn); border-color: transparent; }
.log-row pre.json { margin: 0; padding: 8px 12px 10px 168px; font-size: 12px; color: var(--muted); white-space: pre-wrap; word-break: break-word; background: var(--card-2); }
`;
