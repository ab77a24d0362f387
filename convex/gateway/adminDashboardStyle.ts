// The dashboard's stylesheet, served as /admin/dashboard.css (adminPage.ts).
export const DASHBOARD_STYLE = String.raw`:root { --ink: #1d2330; --muted: #5d6678; --line: #dfe3ea; --panel: #ffffff; --page: #f3f5f9; --accent: #4f6bed; --ok: #1f8a4c; --client: #b7791f; --server: #c53030; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--page); }
header { display: flex; align-items: center; gap: 16px; padding: 12px 24px; background: #1d2330; color: #fff; }
header h1 { font-size: 17px; margin: 0 auto 0 0; font-weight: 600; }
header label { color: #c9cfdb; }
header select { min-width: 220px; }
main { padding: 20px 24px 40px; display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 20px; }
section { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 16px 18px; min-width: 0; }
.wide { grid-column: 1 / -1; }
h2 { font-size: 15px; margin: 0 0 12px; display: flex; align-items: center; gap: 12px; }
h2 .note { font-weight: normal; color: var(--muted); font-size: 13px; margin-left: auto; }
h3 { margin: 0 0 8px; font-size: 15px; }
h4 { margin: 16px 0 6px; font-size: 13px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
table { width: 100%; border-collapse: collapse; font-size: 13px; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; white-space: nowrap; }
td.numeric, th.numeric { text-align: right; font-variant-numeric: tabular-nums; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; }
td code { white-space: nowrap; }
.table-scroll { overflow-x: auto; max-height: 480px; overflow-y: auto; }
dl.policy { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; font-size: 13px; }
dl.policy dt { color: var(--muted); }
dl.policy dd { margin: 0; }
.charts { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 16px; }
.chart { position: relative; height: 260px; }
.badge { display: inline-block; min-width: 38px; text-align: center; padding: 1px 6px; border-radius: 10px; font-weight: 600; font-size: 12px; color: #fff; }
.badge.ok { background: var(--ok); }
.badge.client { background: var(--client); }
.badge.server { background: var(--server); }
.empty { color: var(--muted); margin: 4px 0; }
.error { color: var(--server); background: #fdecec; border: 1px solid #f5c2c2; padding: 8px 10px; border-radius: 6px; margin: 0 0 12px; }
button, select, input { font: inherit; }
button { border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 6px; padding: 5px 12px; cursor: pointer; }
button.secondary { background: #fff; color: var(--accent); }
button.danger { background: #fff; color: var(--server); border-color: var(--server); }
header button { background: transparent; border-color: #6b7385; }
input, select { border: 1px solid var(--line); border-radius: 6px; padding: 5px 8px; background: #fff; color: var(--ink); }
.actions { display: inline-flex; gap: 6px; }
form.inline { display: flex; flex-wrap: wrap; gap: 8px; align-items: end; margin-top: 14px; }
form.inline label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); gap: 2px; }
.new-key { border: 1px solid #b9c7f5; background: #eef2ff; border-radius: 8px; padding: 12px 14px; margin-bottom: 12px; }
.new-key code { display: block; font-size: 14px; padding: 8px; background: #fff; border-radius: 4px; margin: 6px 0; word-break: break-all; user-select: all; }
#sign-in { max-width: 420px; margin: 12vh auto; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 24px; }
#sign-in h1 { font-size: 18px; margin: 0 0 6px; }
#sign-in p { color: var(--muted); margin: 0 0 16px; }
#sign-in form { display: flex; gap: 8px; }
#sign-in input { flex: 1; }
details summary { cursor: pointer; list-style: none; }
details summary h2 { display: inline-flex; margin: 0; }
details summary::before { content: "+"; display: inline-block; width: 18px; color: var(--accent); font-weight: 700; }
details[open] summary::before { content: "−"; }
details[open] summary { margin-bottom: 8px; }
.hint { color: var(--muted); margin: 0 0 10px; font-size: 13px; }
#put-tenant { display: grid; gap: 8px; }
#put-tenant label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); gap: 2px; max-width: 320px; }
#put-tenant textarea { font: 12px/1.5 ui-monospace, SFMono-Regular, Menlo, monospace; border: 1px solid var(--line); border-radius: 6px; padding: 8px; width: 100%; }
.note { color: var(--muted); font-size: 13px; align-self: center; }
[hidden] { display: none !important; }
@media (max-width: 900px) { main, .charts { grid-template-columns: 1fr; } }
`;
