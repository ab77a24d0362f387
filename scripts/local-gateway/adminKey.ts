// The local gateway's admin key: GATEWAY_ADMIN_KEY when set, else a random one made at boot and put in
// the environment the gateway's functions read (convex/upstream/config.ts), so /admin and the admin API
// work against `npm start` alone. Printed once at boot with the dashboard's URL.
import { randomBytes } from "node:crypto";

export function ensureAdminKey(): { key: string; generated: boolean } {
  const configured = (process.env.GATEWAY_ADMIN_KEY ?? "").trim();
  if (configured !== "") return { key: configured, generated: false };
  const key = `sk-admin-${randomBytes(24).toString("base64url")}`;
  process.env.GATEWAY_ADMIN_KEY = key;
  return { key, generated: true };
}

/** The lines `npm start` prints about the admin API and the dashboard. */
export function adminLines(origin: string, admin: { key: string; generated: boolean }): string[] {
  return [
    `Admin key: ${admin.key} (${admin.generated ? "made at boot; set GATEWAY_ADMIN_KEY to choose one" : "from GATEWAY_ADMIN_KEY"})`,
    `Dashboard: ${origin}/admin (sign in with the admin key); admin API: ${origin}/api/admin/v1`,
  ];
}
