// The one question compliance asks identity directly (outside the graph):
// "which of these users are members of this org?" (the memberListing and memberCheck
// protocols of @packets/context, signed with compliance's own key).
import type { KeyObject } from 'node:crypto';
import { callService, memberCheck, memberListing, type ServiceCaller } from '@packets/context';

export class IdentityClient {
  private readonly caller: ServiceCaller;

  constructor(private readonly url: string, serviceKey: KeyObject) {
    this.caller = { service: 'compliance', key: serviceKey };
  }

  /** Every member of the org (user ids). */
  async listMembers(orgId: string): Promise<string[]> {
    const r = await callService(memberListing, this.caller, this.url, { orgId });
    if (!r.ok) throw new Error(`identity member listing answered ${r.status}`);
    return r.answer.members;
  }

  async membersAmong(orgId: string, userIds: string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const r = await callService(memberCheck, this.caller, this.url, { orgId, userIds });
    if (!r.ok) throw new Error(`identity membership check answered ${r.status}`);
    return new Set(r.answer.members);
  }
}
