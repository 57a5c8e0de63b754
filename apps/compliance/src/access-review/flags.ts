// What a reviewer should look at twice in an entry: dormant accounts, missing MFA where the
// org requires it, API keys never used or past expiry, Owner or Admin holders. Computed at
// the snapshot's moment, so a campaign's flags do not move while it runs. Pure.
import { refuse, type Outcome } from '../shared/outcome';
import type { SnapshotEntry } from './snapshot';

export interface AccessReviewSettings {
  /** No sign-in for this many days (since joining, for one who never signed in) is dormant. */
  dormantDays: number;
  /** The org's "MFA required" security setting. */
  mfaRequired: boolean;
  /** A key never used is flagged once it is this many days old. */
  unusedKeyGraceDays: number;
}

export const DEFAULT_ACCESS_REVIEW_SETTINGS: AccessReviewSettings = { dormantDays: 90, mfaRequired: false, unusedKeyGraceDays: 30 };

export function validateAccessReviewSettings(s: AccessReviewSettings): Outcome<AccessReviewSettings> {
  if (!Number.isInteger(s.dormantDays) || s.dormantDays < 7 || s.dormantDays > 365) return refuse('dormantDays', 'Dormant means 7-365 days without a sign-in');
  if (!Number.isInteger(s.unusedKeyGraceDays) || s.unusedKeyGraceDays < 0 || s.unusedKeyGraceDays > 365) {
    return refuse('unusedKeyGraceDays', 'An unused key is flagged after 0-365 days');
  }
  return { ok: true, value: s };
}

export type FlagCode = 'DORMANT' | 'NO_MFA' | 'API_KEY_NEVER_USED' | 'API_KEY_EXPIRED' | 'PRIVILEGED';

export interface Flag {
  code: FlagCode;
  /** Set for a flag about one API key. */
  apiKeyId: string | null;
  detail: string;
}

const DAY_MS = 86_400_000;
const PRIVILEGED_ROLES: ReadonlySet<string> = new Set(['Owner', 'Admin']);
const days = (ms: number): number => Math.floor(ms / DAY_MS);

export function flagsFor(entry: SnapshotEntry, settings: AccessReviewSettings, at: Date): Flag[] {
  const flags: Flag[] = [];
  const lastSeen = entry.lastSignInAt ?? entry.joinedAt;
  const idle = days(at.getTime() - lastSeen.getTime());
  if (idle >= settings.dormantDays) {
    flags.push({ code: 'DORMANT', apiKeyId: null, detail: entry.lastSignInAt ? `No sign-in for ${idle} days` : `Never signed in, ${idle} days since joining` });
  }
  if (settings.mfaRequired && !entry.mfaEnrolled) flags.push({ code: 'NO_MFA', apiKeyId: null, detail: 'The organisation requires MFA and this member has not enrolled' });
  const privileged = entry.roles.filter((r) => r.system && PRIVILEGED_ROLES.has(r.name)).map((r) => r.name);
  if (privileged.length) flags.push({ code: 'PRIVILEGED', apiKeyId: null, detail: `Holds ${privileged.join(' and ')}` });
  for (const k of entry.apiKeys) {
    if (k.expiresAt && k.expiresAt.getTime() <= at.getTime()) {
      flags.push({ code: 'API_KEY_EXPIRED', apiKeyId: k.id, detail: `API key ${k.name} (${k.prefix}) expired on ${k.expiresAt.toISOString().slice(0, 10)} and is not revoked` });
    }
    const age = days(at.getTime() - k.createdAt.getTime());
    if (!k.lastUsedAt && age >= settings.unusedKeyGraceDays) flags.push({ code: 'API_KEY_NEVER_USED', apiKeyId: k.id, detail: `API key ${k.name} (${k.prefix}) has never been used in ${age} days` });
    if (k.role.system && PRIVILEGED_ROLES.has(k.role.name)) flags.push({ code: 'PRIVILEGED', apiKeyId: k.id, detail: `API key ${k.name} (${k.prefix}) has the ${k.role.name} role` });
  }
  return flags;
}
