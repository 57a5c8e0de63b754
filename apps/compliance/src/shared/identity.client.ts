// The one question compliance asks identity directly (outside the graph):
// "which of these users are members of this org?" Signed, body-bound service call.
import type { KeyObject } from 'node:crypto';
import { SERVICE_HEADER, signServiceCall } from '@packets/context';

export const MEMBERS_AUDIENCE = 'identity:members';

export class IdentityClient {
  constructor(private readonly url: string, private readonly serviceKey: KeyObject) {}

  /** Every member of the org (user ids). */
  async listMembers(orgId: string): Promise<string[]> {
    const body = JSON.stringify({ orgId });
    const token = await signServiceCall('compliance', MEMBERS_AUDIENCE, body, this.serviceKey);
    const res = await fetch(`${this.url}/internal/members/list`, {
      method: 'POST', headers: { 'content-type': 'application/json', [SERVICE_HEADER]: token }, body,
    });
    if (!res.ok) throw new Error(`identity member listing answered ${res.status}`);
    return ((await res.json()) as { members: string[] }).members;
  }

  async membersAmong(orgId: string, userIds: string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const body = JSON.stringify({ orgId, userIds });
    const token = await signServiceCall('compliance', MEMBERS_AUDIENCE, body, this.serviceKey);
    const res = await fetch(`${this.url}/internal/members`, {
      method: 'POST', headers: { 'content-type': 'application/json', [SERVICE_HEADER]: token }, body,
    });
    if (!res.ok) throw new Error(`identity membership check answered ${res.status}`);
    const json = (await res.json()) as { members: string[] };
    return new Set(json.members);
  }
}
