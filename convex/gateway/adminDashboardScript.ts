// The dashboard's browser script, served as /admin/dashboard.js (adminPage.ts): plain JavaScript kept
// in a string, so a deployment serves it with no build step. It must hold no backquote, no dollar-brace
// and no backslash (the string is a raw template literal); adminPage.test.ts parses it.
export const DASHBOARD_SCRIPT = String.raw`// The admin dashboard's script: signs in with the admin key (kept in sessionStorage, sent as a bearer
// token to /api/admin/v1), then shows one tenant at a time. Every value from the API is put in the page
// as text (textContent), never as HTML.
(function () {
  "use strict";
  var API = "/api/admin/v1";
  var KEY_STORAGE = "gatewayAdminKey";
  var COLORS = ["#4f6bed", "#e0791a", "#2a9d8f", "#c8416a", "#8a5cd1", "#6b8e23", "#d4a017", "#3b8bc2"];
  var state = { tenant: null, requests: [], requestsCursor: null, charts: {} };

  function $(id) {
    return document.getElementById(id);
  }

  /** An element with attributes, properties (on*, className) and children (strings become text). */
  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (name) {
      var value = props[name];
      if (value === undefined || value === null) return;
      if (name.indexOf("on") === 0) node.addEventListener(name.slice(2), value);
      else if (name === "className") node.className = value;
      else if (name === "text") node.textContent = value;
      else node.setAttribute(name, value);
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
    });
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  async function api(method, path, body) {
    var headers = { authorization: "Bearer " + sessionStorage.getItem(KEY_STORAGE) };
    var init = { method: method, headers: headers };
    if (body !== undefined) {
      headers["content-type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    var response = await fetch(API + path, init);
    var json = await response.json().catch(function () {
      return {};
    });
    if (!response.ok) {
      var error = new Error((json.error && json.error.message) || "HTTP " + response.status);
      error.status = response.status;
      throw error;
    }
    return json;
  }

  function tenantPath(suffix) {
    return "/tenants/" + encodeURIComponent(state.tenant) + (suffix || "");
  }

  function time(ms) {
    if (ms === null || ms === undefined) return "—";
    var date = new Date(ms);
    return date.toISOString().replace("T", " ").slice(0, 19) + " UTC";
  }

  function showError(where, error) {
    var box = $(where);
    box.textContent = error ? error.message : "";
    box.hidden = !error;
  }

  function table(columns, rows, emptyText) {
    if (rows.length === 0) return el("p", { className: "empty", text: emptyText });
    return el("table", {}, [
      el("thead", {}, [el("tr", {}, columns.map(function (column) {
        return el("th", { text: column.title, className: column.numeric ? "numeric" : null });
      }))]),
      el("tbody", {}, rows.map(function (row) {
        return el("tr", {}, columns.map(function (column) {
          var value = column.value(row);
          var cell = el("td", { className: column.numeric ? "numeric" : null });
          if (value instanceof Node) cell.appendChild(value);
          else cell.textContent = value === null || value === undefined || value === "" ? "—" : String(value);
          return cell;
        }));
      })),
    ]);
  }

  // Sign in and out.

  async function signIn(event) {
    event.preventDefault();
    sessionStorage.setItem(KEY_STORAGE, $("admin-key").value.trim());
    try {
      await start();
    } catch (error) {
      sessionStorage.removeItem(KEY_STORAGE);
      showError("sign-in-error", error.status === 401 ? new Error("That is not the admin key.") : error);
    }
  }

  function signOut() {
    sessionStorage.removeItem(KEY_STORAGE);
    location.reload();
  }

  async function start() {
    await loadTenants(null);
    $("sign-in").hidden = true;
    $("app").hidden = false;
    showError("sign-in-error", null);
  }

  /** The tenant picker (up to 1,000 tenants), then the chosen tenant (selected, else the first). */
  async function loadTenants(selected) {
    var tenants = [];
    var cursor = null;
    do {
      var page = await api("GET", "/tenants?limit=100" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : ""));
      tenants = tenants.concat(page.data);
      cursor = page.nextCursor;
    } while (cursor && tenants.length < 1000);
    var select = clear($("tenant"));
    tenants.forEach(function (tenant) {
      select.appendChild(el("option", { value: tenant.slug, text: tenant.name + " (" + tenant.slug + ")" }));
    });
    if (selected) select.value = selected;
    if (tenants.length > 0) await loadTenant();
  }

  // Create or replace a tenant from the seed's tenant object.

  async function putTenant(event) {
    event.preventDefault();
    showError("put-tenant-error", null);
    var slug = $("put-tenant-slug").value.trim();
    var tenant;
    try {
      tenant = JSON.parse($("put-tenant-json").value);
    } catch (error) {
      showError("put-tenant-error", new Error("The tenant is not valid JSON: " + error.message));
      return;
    }
    try {
      var result = await api("PUT", "/tenants/" + encodeURIComponent(slug), tenant);
      $("put-tenant-result").textContent = "Tenant '" + result.slug + "' " + (result.created ? "created." : "replaced.");
      await loadTenants(result.slug);
    } catch (error) {
      showError("put-tenant-error", error);
    }
  }

  async function loadTenant() {
    state.tenant = $("tenant").value;
    await Promise.all([loadDetail(), loadUsage(), loadRequests(false), loadAudit(), loadKeys()]);
  }

  // The tenant: policy, agents, documents, webhook tools.

  async function loadDetail() {
    var tenant = await api("GET", tenantPath());
    var policy = tenant.policy;
    var box = clear($("tenant-detail"));
    box.appendChild(el("h3", { text: tenant.name }));
    box.appendChild(el("dl", { className: "policy" }, Object.keys(policy).reduce(function (items, name) {
      var value = policy[name];
      var shown = Array.isArray(value) ? (value.length ? value.join(", ") : "none") : value === null ? "none" : String(value);
      return items.concat([el("dt", { text: name }), el("dd", { text: shown })]);
    }, [])));
    box.appendChild(el("h4", { text: "Agents" }));
    box.appendChild(table([
      { title: "Model id", value: function (agent) { return agent.slug; } },
      { title: "Upstream", value: function (agent) { return agent.model; } },
      { title: "Tools", value: function (agent) { return agent.tools.join(", "); } },
      { title: "Temperature", value: function (agent) { return agent.temperature; }, numeric: true },
      { title: "Max output", value: function (agent) { return agent.maxOutputTokens; }, numeric: true },
    ], tenant.agents, "No agents."));
    box.appendChild(el("h4", { text: "Knowledge documents" }));
    box.appendChild(table([
      { title: "Title", value: function (document) { return document.title; } },
      { title: "Characters", value: function (document) { return document.characters; }, numeric: true },
    ], tenant.documents, "No documents."));
    box.appendChild(el("h4", { text: "Webhook tools" }));
    box.appendChild(table([
      { title: "Name", value: function (tool) { return tool.name; } },
      { title: "URL", value: function (tool) { return tool.url; } },
      { title: "Description", value: function (tool) { return tool.description; } },
    ], tenant.webhookTools, "No webhook tools."));
  }

  // Usage charts: requests and tokens per UTC day, stacked by model.

  function days(from, to) {
    var list = [];
    for (var day = Date.parse(from + "T00:00:00Z"); day <= Date.parse(to + "T00:00:00Z"); day += 86400000) {
      list.push(new Date(day).toISOString().slice(0, 10));
    }
    return list;
  }

  async function loadUsage() {
    var range = $("usage-range").value;
    var to = new Date().toISOString().slice(0, 10);
    var from = new Date(Date.now() - (Number(range) - 1) * 86400000).toISOString().slice(0, 10);
    var usage = await api("GET", tenantPath("/usage?from=" + from + "&to=" + to));
    var labels = days(usage.from, usage.to);
    var models = [];
    usage.data.forEach(function (row) {
      var model = row.model === null ? "(unrecorded)" : row.model;
      if (models.indexOf(model) < 0) models.push(model);
    });
    function series(measure) {
      return models.map(function (model, index) {
        var values = labels.map(function (day) {
          return usage.data.filter(function (row) {
            return row.day === day && (row.model === null ? "(unrecorded)" : row.model) === model;
          }).reduce(function (sum, row) {
            return sum + measure(row);
          }, 0);
        });
        return { label: model, data: values, backgroundColor: COLORS[index % COLORS.length], borderWidth: 0 };
      });
    }
    var total = usage.data.reduce(function (sum, row) {
      return { requests: sum.requests + row.requests, prompt: sum.prompt + row.promptTokens, completion: sum.completion + row.completionTokens };
    }, { requests: 0, prompt: 0, completion: 0 });
    $("usage-totals").textContent = total.requests + (total.requests === 1 ? " request, " : " requests, ") + total.prompt + " prompt and " + total.completion + " completion tokens in " + labels.length + " days";
    draw("requests-chart", "Requests", labels, series(function (row) { return row.requests; }));
    draw("tokens-chart", "Tokens (prompt + completion)", labels, series(function (row) { return row.promptTokens + row.completionTokens; }));
  }

  function draw(canvasId, title, labels, datasets) {
    if (state.charts[canvasId]) state.charts[canvasId].destroy();
    state.charts[canvasId] = new Chart($(canvasId), {
      type: "bar",
      data: { labels: labels.map(function (day) { return day.slice(5); }), datasets: datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        plugins: { title: { display: true, text: title }, legend: { position: "bottom" } },
        scales: { x: { stacked: true, ticks: { maxRotation: 0, autoSkipPadding: 12 } }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  }

  // Recent requests, newest first, filterable by status.

  async function loadRequests(more) {
    var path = tenantPath("/requests?limit=100" + (more && state.requestsCursor ? "&cursor=" + encodeURIComponent(state.requestsCursor) : ""));
    var page = await api("GET", path);
    state.requests = more ? state.requests.concat(page.data) : page.data;
    state.requestsCursor = page.nextCursor;
    $("requests-more").hidden = page.nextCursor === null;
    renderRequests();
  }

  function statusMatches(filter, status) {
    if (filter === "all") return true;
    if (filter === "errors") return status >= 400;
    return String(status).charAt(0) + "xx" === filter;
  }

  function statusBadge(row) {
    var kind = row.status < 400 ? "ok" : row.status < 500 ? "client" : "server";
    return el("span", { className: "badge " + kind, text: String(row.status) });
  }

  function renderRequests() {
    var filter = $("status-filter").value;
    var rows = state.requests.filter(function (row) {
      return statusMatches(filter, row.status);
    });
    $("requests-count").textContent = rows.length + " of " + state.requests.length + " loaded";
    clear($("requests")).appendChild(table([
      { title: "Time", value: function (row) { return time(row.at); } },
      { title: "Request id", value: function (row) { return el("code", { text: row.requestId }); } },
      { title: "Key", value: function (row) { return row.keyPrefix; } },
      { title: "Model", value: function (row) { return row.model; } },
      { title: "Upstream", value: function (row) { return row.upstream; } },
      { title: "Mode", value: function (row) { return row.mode === "client_tools" ? "client tools" : row.mode; } },
      { title: "Status", value: statusBadge },
      { title: "Error", value: function (row) { return row.errorCode; } },
      { title: "Latency ms", value: function (row) { return row.latencyMs; }, numeric: true },
      { title: "Prompt", value: function (row) { return row.promptTokens; }, numeric: true },
      { title: "Completion", value: function (row) { return row.completionTokens; }, numeric: true },
    ], rows, "No requests match."));
  }

  // Audit events, newest first.

  async function loadAudit() {
    var page = await api("GET", tenantPath("/audit?limit=50"));
    clear($("audit")).appendChild(table([
      { title: "Time", value: function (row) { return time(row.at); } },
      { title: "Event", value: function (row) { return row.event.replace(/_/g, " "); } },
      { title: "Code", value: function (row) { return row.code; } },
      { title: "Request id", value: function (row) { return row.requestId ? el("code", { text: row.requestId }) : null; } },
      { title: "Detail", value: function (row) {
        var counts = row.piiCounts ? Object.keys(row.piiCounts).map(function (name) { return name + " " + row.piiCounts[name]; }).join(", ") : "";
        return [row.detail, counts].filter(Boolean).join("; ");
      } },
    ], page.data, "No audit events."));
  }

  // Keys: list, create (the value shown once), disable, rotate.

  function keyState(key) {
    if (key.disabled) return "disabled";
    if (key.expiresAt !== null && key.expiresAt <= Date.now()) return "expired";
    return key.expiresAt !== null ? "expires " + time(key.expiresAt) : "active";
  }

  async function loadKeys() {
    var keys = (await api("GET", tenantPath("/keys"))).data;
    clear($("keys")).appendChild(table([
      { title: "Name", value: function (key) { return key.name; } },
      { title: "Prefix", value: function (key) { return el("code", { text: key.prefix }); } },
      { title: "Models", value: function (key) { return key.agents.join(", "); } },
      { title: "State", value: keyState },
      { title: "Last used", value: function (key) { return time(key.lastUsedAt); } },
      { title: "", value: function (key) {
        var usable = !key.disabled && (key.expiresAt === null || key.expiresAt > Date.now());
        if (!usable) return null;
        return el("span", { className: "actions" }, [
          el("button", { type: "button", className: "secondary", text: "Rotate", onclick: function () { rotateKey(key.name); } }),
          el("button", { type: "button", className: "danger", text: "Disable", onclick: function () { disableKey(key.name); } }),
        ]);
      } },
    ], keys, "No keys."));
  }

  function showNewKey(title, result) {
    $("new-key-title").textContent = title;
    $("new-key-value").textContent = result.key;
    $("new-key").hidden = false;
  }

  async function createKey(event) {
    event.preventDefault();
    showError("key-error", null);
    var agents = $("key-agents").value.split(",").map(function (agent) { return agent.trim(); }).filter(Boolean);
    var expires = $("key-expires").value;
    var body = { name: $("key-name").value.trim(), agents: agents.length ? agents : ["*"] };
    if (expires) body.expiresAt = new Date(expires).toISOString();
    try {
      var result = await api("POST", tenantPath("/keys"), body);
      showNewKey("Key '" + result.name + "' created", result);
      $("create-key").reset();
      await Promise.all([loadKeys(), loadAudit()]);
    } catch (error) {
      showError("key-error", error);
    }
  }

  async function disableKey(name) {
    if (!confirm("Disable key '" + name + "'? Requests with it are refused at once.")) return;
    try {
      await api("POST", tenantPath("/keys/" + encodeURIComponent(name) + "/disable"));
      await Promise.all([loadKeys(), loadAudit()]);
    } catch (error) {
      showError("key-error", error);
    }
  }

  async function rotateKey(name) {
    var grace = prompt("Rotate key '" + name + "': seconds the old key keeps working", "3600");
    if (grace === null) return;
    try {
      var result = await api("POST", tenantPath("/keys/" + encodeURIComponent(name) + "/rotate"), { graceSeconds: Number(grace) });
      showNewKey("Key '" + result.name + "' rotated", result);
      await Promise.all([loadKeys(), loadAudit()]);
    } catch (error) {
      showError("key-error", error);
    }
  }

  function guard(work) {
    return function () {
      work.apply(null, arguments).catch(function (error) {
        showError("app-error", error);
      });
    };
  }

  $("sign-in-form").addEventListener("submit", signIn);
  $("sign-out").addEventListener("click", signOut);
  $("tenant").addEventListener("change", guard(loadTenant));
  $("refresh").addEventListener("click", guard(loadTenant));
  $("usage-range").addEventListener("change", guard(loadUsage));
  $("status-filter").addEventListener("change", renderRequests);
  $("requests-more").addEventListener("click", guard(function () { return loadRequests(true); }));
  $("create-key").addEventListener("submit", createKey);
  $("put-tenant").addEventListener("submit", putTenant);
  $("new-key-close").addEventListener("click", function () {
    $("new-key").hidden = true;
    $("new-key-value").textContent = "";
  });
  if (sessionStorage.getItem(KEY_STORAGE)) {
    start().catch(function () {
      sessionStorage.removeItem(KEY_STORAGE);
    });
  }
})();
`;
