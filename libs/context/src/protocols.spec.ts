import { describe, expect, it } from 'vitest';
import { SERVICE_SENDERS } from '@packets/config';
import { SERVICE_PROTOCOLS, routeKey, sendersOf } from './protocols';

describe('the protocol declarations', () => {
  it("give each receiver exactly the senders whose public keys its configuration requires (the key map)", () => {
    for (const [receiver, senders] of Object.entries(SERVICE_SENDERS)) {
      expect([receiver, sendersOf(receiver as keyof typeof SERVICE_SENDERS)]).toEqual([receiver, [...senders].sort()]);
    }
  });

  it('name one route per path on each receiver, and never serve a protocol to its own receiver', () => {
    const keys = SERVICE_PROTOCOLS.map((p) => `${p.receiver} ${routeKey(p)}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const p of SERVICE_PROTOCOLS) expect(p.senders).not.toContain(p.receiver);
  });
});
