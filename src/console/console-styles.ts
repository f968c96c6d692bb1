/**
 * The console's one stylesheet, served as `/ui/assets/console.css` (CSP `style-src 'self'`: no inline style).
 * Kept as a module so that `tsc` builds it into dist/ with the rest (no copy step), and the console runs the same
 * from the sources and from the package. Colours meet WCAG AA contrast (4.5:1 for text) on their backgrounds;
 * focus is always visible.
 */
export const CONSOLE_CSS = `
:root { --fg: #1b1f24; --muted: #4a5360; --bg: #ffffff; --panel: #f4f6f8; --line: #c9d1d9; --accent: #0b5cad;
  --ok: #116329; --warn: #7d4e00; --bad: #a40e26; --focus: #bf4b00; font-family: system-ui, sans-serif; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: var(--bg); line-height: 1.45; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible {
  outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--bg); padding: .5rem; }
.skip:focus { left: .5rem; }
header { display: flex; flex-wrap: wrap; gap: 1rem 2rem; align-items: center; padding: .75rem 1.5rem;
  background: #0d2236; color: #fff; }
header a { color: #fff; }
.brand { font-weight: 700; margin: 0; }
nav ul { display: flex; gap: 1rem; list-style: none; margin: 0; padding: 0; }
nav a { text-decoration: none; padding: .25rem .5rem; border-radius: 4px; }
nav a[aria-current="page"] { background: #fff; color: #0d2236; }
.scope { display: flex; gap: .5rem; align-items: center; margin-left: auto; }
.scope input { width: 9.5rem; }
.mode { margin: 0; font-size: .875rem; padding: .15rem .5rem; border: 1px solid #fff; border-radius: 4px; }
main { padding: 1rem 1.5rem 3rem; max-width: 90rem; }
h1 { font-size: 1.5rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--panel); }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .85rem; }
pre { background: var(--panel); border: 1px solid var(--line); padding: .75rem; overflow: auto; max-height: 28rem; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1.25rem; margin: 0; }
dl.meta dt { font-weight: 600; color: var(--muted); }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
input, select, button { font: inherit; padding: .3rem .5rem; border: 1px solid #6e7781; border-radius: 4px; }
button { background: var(--accent); color: #fff; border-color: var(--accent); cursor: pointer; }
button.secondary { background: #fff; color: var(--accent); }
button.danger { background: var(--bad); border-color: var(--bad); }
button[disabled] { background: #d0d7de; color: #3d444d; border-color: #afb8c1; cursor: not-allowed; }
form.inline { display: inline; }
.toolbar { display: flex; flex-wrap: wrap; gap: .75rem; align-items: end; margin: .5rem 0 1rem; }
.toolbar .field { display: flex; flex-direction: column; gap: .15rem; }
.toolbar .field label { font-size: .85rem; color: var(--muted); }
.toolbar .check { display: flex; gap: .4rem; align-items: center; }
.badge { display: inline-block; font-size: .75rem; padding: .05rem .45rem; border-radius: 999px; border: 1px solid; margin-right: .25rem; }
.badge.latest { color: #fff; background: var(--accent); border-color: var(--accent); }
.badge.published { color: var(--ok); }
.badge.pre { color: var(--warn); }
.state-Enabled { color: var(--ok); }
.state-Disabled, .state-PendingImport { color: var(--warn); }
.state-PendingDeletion, .state-Deleted { color: var(--bad); }
.notice { padding: .6rem .9rem; border-left: 4px solid var(--accent); background: var(--panel); margin: 0 0 1rem; }
.notice.error { border-color: var(--bad); }
.notice.done { border-color: var(--ok); }
.versions { list-style: none; padding: 0; margin: 0; display: grid; gap: 1rem; }
.version { border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; }
.version h3 { margin: 0 0 .5rem; font-size: 1.05rem; display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; }
ol.timeline { display: grid; grid-template-columns: repeat(5, 1fr); list-style: none; padding: 0; margin: .5rem 0; counter-reset: step; }
ol.timeline li { position: relative; padding: 1.4rem .4rem 0 0; font-size: .85rem; color: var(--muted); }
ol.timeline li::before { content: ""; position: absolute; top: .35rem; left: 0; right: 0; height: 4px; background: var(--line); }
ol.timeline li::after { content: ""; position: absolute; top: 0; left: 0; width: 1rem; height: 1rem; border-radius: 50%;
  background: #fff; border: 3px solid var(--line); }
ol.timeline li.reached { color: var(--fg); }
ol.timeline li.reached::before { background: var(--accent); }
ol.timeline li.reached::after { background: var(--accent); border-color: var(--accent); }
ol.timeline li.reached.bad::after, ol.timeline li.reached.bad::before { background: var(--bad); border-color: var(--bad); }
ol.timeline .step { display: block; font-weight: 600; }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; margin-top: .5rem; }
.copy-row { display: flex; gap: .5rem; align-items: center; margin: .25rem 0; }
.muted { color: var(--muted); }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
tr.new td { animation: flash 1.5s ease-out; }
@keyframes flash { from { background: #fff4c2; } to { background: transparent; } }
@media (prefers-reduced-motion: reduce) { tr.new td { animation: none; } }
`;
