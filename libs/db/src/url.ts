import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';

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

/**
 * The sslmode values honoured. `require` and `verify-ca` are refused: libpq and pg read them
 * differently (pg verifies where libpq does not), and a connection should check the server anyway.
 */
export const POSTGRES_SSL_MODES = ['disable', 'verify-full'] as const;

/**
 * The TLS options a postgres:// URL asks for, for MikroORM, which reads only the host,
 * port, user, password and database from its clientUrl (pg's own Client and Pool read
 * the same parameters themselves): `sslmode=verify-full` checks the server's chain against
 * `sslrootcert` (a PEM file; Node's CA store when absent) and its name against the host.
 * undefined = no sslmode (a plain connection, as before).
 */
export function postgresSsl(url: string): ConnectionOptions | false | undefined {
  const params = new URL(url).searchParams;
  const mode = params.get('sslmode');
  if (mode === null) return undefined;
  if (!(POSTGRES_SSL_MODES as readonly string[]).includes(mode)) throw new Error(`sslmode=${mode} is not supported: use ${POSTGRES_SSL_MODES.join(' or ')}`);
  if (mode === 'disable') return false;
  const rootCert = params.get('sslrootcert');
  return { ...(rootCert ? { ca: readFileSync(rootCert, 'utf8') } : {}), rejectUnauthorized: true };
}
