// The operators' dashboard at /admin (CONTRACT.md, "Admin API and dashboard"): a page served by the
// gateway itself, its script and stylesheet, and Chart.js read from the installed chart.js package (no
// CDN, no build step). Like the admin API, it answers 404 when GATEWAY_ADMIN_KEY is unset. The page
// holds no data: its script signs in with the admin key and calls /api/admin/v1.
import { internal } from "../_generated/api";
import { adminKey } from "../upstream/config";
import { gatewayAction } from "./gatewayAction";
import type { Responder } from "./responses";
import { DASHBOARD_SCRIPT } from "./adminDashboardScript";
import { DASHBOARD_STYLE } from "./adminDashboardStyle";

export const ADMIN_PAGE_PATH = "/admin";

/** The files the page loads; nothing else is served under /admin. */
const ASSET_TYPES = {
  "dashboard.js": "text/javascript; charset=utf-8",
  "dashboard.css": "text/css; charset=utf-8",
  "chart.umd.min.js": "text/javascript; charset=utf-8",
} as const;
type AssetName = keyof typeof ASSET_TYPES;

export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Gateway admin</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="${ADMIN_PAGE_PATH}/dashboard.css">
</head>
<body>
<div id="sign-in">
  <h1>Gateway admin</h1>
  <p>Sign in with the deployment's admin key (GATEWAY_ADMIN_KEY). It is kept in this tab only.</p>
  <p id="sign-in-error" class="error" hidden></p>
  <form id="sign-in-form">
    <input id="admin-key" type="password" autocomplete="off" placeholder="Admin key" required aria-label="Admin key">
    <button type="submit">Sign in</button>
  </form>
</div>
<div id="app" hidden>
  <header>
    <h1>Gateway admin</h1>
    <label for="tenant">Tenant</label>
    <select id="tenant"></select>
    <button id="refresh" type="button">Refresh</button>
    <button id="sign-out" type="button">Sign out</button>
  </header>
  <main>
    <p id="app-error" class="error wide" hidden></p>
    <section class="wide" id="usage-section">
      <h2>Usage by day and model
        <select id="usage-range" aria-label="Range">
          <option value="7">Last 7 days</option>
          <option value="30" selected>Last 30 days</option>
          <option value="90">Last 90 days</option>
        </select>
        <span class="note" id="usage-totals"></span>
      </h2>
      <div class="charts">
        <div class="chart"><canvas id="requests-chart"></canvas></div>
        <div class="chart"><canvas id="tokens-chart"></canvas></div>
      </div>
    </section>
    <section class="wide" id="requests-section">
      <h2>Recent requests
        <select id="status-filter" aria-label="Status">
          <option value="all">All statuses</option>
          <option value="2xx">2xx</option>
          <option value="errors">Errors (4xx and 5xx)</option>
          <option value="4xx">4xx</option>
          <option value="5xx">5xx</option>
        </select>
        <span class="note" id="requests-count"></span>
      </h2>
      <div class="table-scroll" id="requests"></div>
      <p><button id="requests-more" type="button" class="secondary" hidden>Load older requests</button></p>
    </section>
    <section id="keys-section">
      <h2>API keys</h2>
      <div id="new-key" class="new-key" hidden>
        <strong id="new-key-title"></strong>
        <code id="new-key-value"></code>
        <small>Copy it now: the gateway keeps only its hash and will not show it again.</small>
        <button id="new-key-close" type="button" class="secondary">Done</button>
      </div>
      <p id="key-error" class="error" hidden></p>
      <div class="table-scroll" id="keys"></div>
      <form id="create-key" class="inline">
        <label>Name<input id="key-name" required maxlength="100"></label>
        <label>Models (comma-separated, * for all)<input id="key-agents" placeholder="*"></label>
        <label>Expires (optional)<input id="key-expires" type="datetime-local"></label>
        <button type="submit">Create key</button>
      </form>
    </section>
    <section id="tenant-section">
      <h2>Tenant</h2>
      <div id="tenant-detail"></div>
    </section>
    <section class="wide" id="put-tenant-section">
      <details>
        <summary><h2>Create or replace a tenant</h2></summary>
        <p class="hint">The seed's tenant object (docs/configuration.md), validated like a seed. Replacing sets the name, policy, agents, documents and webhook tools to exactly what it says (others are deleted); the tenant's keys are kept and <code>apiKeys</code> is ignored: create keys above.</p>
        <p id="put-tenant-error" class="error" hidden></p>
        <form id="put-tenant">
          <label>Slug<input id="put-tenant-slug" required pattern="[a-z0-9][a-z0-9._-]{0,63}" placeholder="initech"></label>
          <textarea id="put-tenant-json" rows="12" spellcheck="false" aria-label="Tenant JSON">{
  "name": "Initech",
  "agents": [
    { "slug": "assistant", "model": "gpt-4o-mini", "instructions": "You are Initech's helpful assistant." }
  ],
  "policy": { "requestsPerMinute": 60, "pii": "redact" }
}</textarea>
          <div class="actions"><button type="submit">Save tenant</button><span id="put-tenant-result" class="note"></span></div>
        </form>
      </details>
    </section>
    <section class="wide" id="audit-section">
      <h2>Audit events <span class="note">newest 50</span></h2>
      <div class="table-scroll" id="audit"></div>
    </section>
  </main>
</div>
<script src="${ADMIN_PAGE_PATH}/chart.umd.min.js"></script>
<script src="${ADMIN_PAGE_PATH}/dashboard.js"></script>
</body>
</html>
`;

function notFound(request: Request, responder: Responder): Response {
  return responder.error({ code: "not_found", message: `Unknown request URL: ${request.method} ${new URL(request.url).pathname}.` });
}

function page(responder: Responder): Response {
  return new Response(DASHBOARD_HTML, {
    status: 200,
    headers: responder.finalHeaders({ "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }),
  });
}

/** GET /admin: the page, or 404 when the admin API is off. */
export const adminPage = gatewayAction(async (_ctx, request, responder) => (adminKey() === null ? notFound(request, responder) : page(responder)));

/** GET /admin/<file>; `/admin/` itself is the page. */
export const adminAsset = gatewayAction(async (ctx, request, responder) => {
  if (adminKey() === null) return notFound(request, responder);
  const name = new URL(request.url).pathname.slice(`${ADMIN_PAGE_PATH}/`.length);
  if (name === "") return page(responder);
  if (!Object.hasOwn(ASSET_TYPES, name)) return notFound(request, responder);
  const asset = name as AssetName;
  const text =
    asset === "dashboard.js" ? DASHBOARD_SCRIPT : asset === "dashboard.css" ? DASHBOARD_STYLE : await ctx.runAction(internal.gateway.chartJsFile.read, {});
  return new Response(text, {
    status: 200,
    // Served from this deployment's code and packages: a browser may keep them for an hour.
    headers: responder.finalHeaders({ "content-type": ASSET_TYPES[asset], "cache-control": "public, max-age=3600" }),
  });
});
