// The identity subgraph: organisations, users, memberships, roles and sessions.
import { createOrm, OrgKeyring } from '@packets/db';
import { OutboxRelay } from '@packets/audit-log';
import { startSubgraphServer, type RunningServer } from '@packets/graphql';
import { serviceKeys } from '@packets/context';
import { requireMasterKey, type SubgraphConfig } from '@packets/config';
import { identitySchema } from './schema';
import { identityLoaders } from './loaders';
import { internalRoutes } from './internal.routes';
import { OrganizationEntity } from './organization/organization.entity';
import { UserEntity } from './user/user.entity';
import { MembershipEntity, MembershipRoleEntity, RoleEntity } from './membership/membership.entity';
import { SessionEntity } from './session/session.entity';
import { InvitationEntity } from './invitation/invitation.entity';
import { ApiKeyEntity } from './apikey/apikey.entity';
import { MfaChallengeEntity, MfaFactorEntity, RecoveryCodeEntity } from './mfa/mfa.entity';
import { SsoConnectionEntity, SsoDomainEntity, SsoJoinRequestEntity, SsoStateEntity } from './sso/sso.entity';
import { Mailer } from './mail/mailer';
import { postgresStore, redisStore } from '@packets/rate-limit';
import { BruteForceGuard } from './security/brute-force';
import type { IdentityRuntime } from './identity.context';

export { identityMigrations } from './migrations';
export { identitySchema } from './schema';

export const IDENTITY_ENTITIES = [
  OrganizationEntity, UserEntity, MembershipEntity, RoleEntity, MembershipRoleEntity, SessionEntity, InvitationEntity,
  ApiKeyEntity, MfaFactorEntity, RecoveryCodeEntity, MfaChallengeEntity, SsoConnectionEntity, SsoStateEntity,
  SsoDomainEntity, SsoJoinRequestEntity,
];

export interface StartOptions {
  now?: () => Date;
  /** SSO domain verification: DNS TXT look-ups (default node:dns/promises resolveTxt; tests inject one) */
  resolveTxt?: (hostname: string) => Promise<string[][]>;
}

export async function startIdentity(config: SubgraphConfig, opts: StartOptions = {}): Promise<RunningServer> {
  const orm = await createOrm({ schema: 'identity', clientUrl: config.databaseUrl, entities: IDENTITY_ENTITIES });
  const relay = new OutboxRelay({
    service: 'identity', schema: 'identity', databaseUrl: config.databaseUrl, auditUrl: config.auditUrl,
    serviceKey: config.servicePrivateKey, intervalMs: config.relayIntervalMs, log: (m) => console.warn(m),
  });
  const mailer = new Mailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, outboxDir: config.mailOutboxDir });
  const guard = new BruteForceGuard(config.redisUrl ? redisStore(config.redisUrl) : postgresStore(config.databaseUrl, { poolMax: 2, clearExpired: false }), 'signin');
  const runtime: IdentityRuntime = {
    name: 'identity', orm, contextKey: config.contextPublicKey, relay, now: opts.now,
    bcryptCost: config.bcryptCost,
    fromGateway: serviceKeys(config.servicePublicKeys, 'gateway'), fromServices: serviceKeys(config.servicePublicKeys, 'compliance'),
    keyring: new OrgKeyring('identity', requireMasterKey(config)), mailer, guard, publicUrl: config.publicUrl,
    ssoAllowInsecureIssuers: config.ssoAllowInsecureIssuers ?? false,
    ssoAllowPrivateIssuers: config.ssoAllowPrivateIssuers ?? false,
    resolveTxt: opts.resolveTxt,
  };
  const { schema } = await identitySchema();
  const server = await startSubgraphServer({
    runtime, schema, loaders: identityLoaders, port: config.port, host: config.host, dev: config.dev, tls: config.tls,
    routes: internalRoutes(runtime),
  });
  relay.start();
  return {
    ...server,
    stop: async () => {
      await server.stop();
      await relay.stop();
      await guard.close();
      mailer.close();
      await orm.close(true);
    },
  };
}
