import type { KeyObject } from 'node:crypto';
import type { AuditTuning } from '@packets/config';
import type { OrgKeyring } from '@packets/db';
import type { RequestContext, SubgraphRuntime } from '@packets/graphql';
import type { AuditLoaders } from './loaders';

export type { AuditLoaders } from './loaders';

export interface AuditRuntime extends SubgraphRuntime {
  /** signs chain heads and checkpoints (AUDIT_SIGNING_KEY) */
  dev: boolean;
  signingKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
  /** HMAC key for short-lived export download tokens (derived from the master key) */
  exportTokenKey: Uint8Array;
  /** per-org data keys wrapping webhook secrets */
  keyring: OrgKeyring;
  tuning: AuditTuning;
  /** asks the webhook deliverer to look for pending alerts now */
  kickWebhooks: () => void;
}

export type AuditContext = RequestContext<AuditLoaders> & { runtime: AuditRuntime };
