/** The services' connection string: same server and database as the admin URL, as the app role. */
export function appDatabaseUrl(adminUrl: string, password: string): string {
  const url = new URL(adminUrl);
  url.username = APP_ROLE;
  url.password = password;
  return url.toString();
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Owns every schema and table; migrations run as this role. Never logs in. */
export const OWNER_ROLE = 'packets_owner';
/** What the services connect as: no ownership, no BYPASSRLS, so row-level security always applies. */
export const APP_ROLE = 'packets_app';
