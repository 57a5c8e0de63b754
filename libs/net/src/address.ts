import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

export class UnsafeAddressError extends Error {
  override name = 'UnsafeAddressError';
}

export type ResolvedAddress = { address: string; family: 4 | 6 };
export type Lookup = (hostname: string) => Promise<ResolvedAddress[]>;

// IANA special-purpose registries (RFC 6890 and successors): none of these is a
// destination on the public internet.
const V4_RESERVED: [string, number][] = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata lives here)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation TEST-NET-1
  ['192.31.196.0', 24], // AS112
  ['192.52.193.0', 24], // AMT
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['192.175.48.0', 24], // AS112 direct delegation
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation TEST-NET-2
  ['203.0.113.0', 24], // documentation TEST-NET-3
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, including 255.255.255.255 broadcast
];

// Only global unicast (2000::/3) can be public; inside it these are not.
const V6_RESERVED: [string, number][] = [
  ['2001::', 23], // IETF protocol assignments: Teredo 2001::/32, ORCHID, benchmarking 2001:2::/48
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4: checked through its embedded IPv4 below, refused outright here
  ['3fff::', 20], // documentation (RFC 9637)
];

const v4Reserved = new BlockList();
for (const [net, prefix] of V4_RESERVED) v4Reserved.addSubnet(net, prefix, 'ipv4');
const v6Reserved = new BlockList();
for (const [net, prefix] of V6_RESERVED) v6Reserved.addSubnet(net, prefix, 'ipv6');
const v6GlobalUnicast = new BlockList();
v6GlobalUnicast.addSubnet('2000::', 3, 'ipv6');

/** Strips the brackets of a URL host (`[::1]`) and an IPv6 zone (`fe80::1%eth0`). */
function bare(address: string): string {
  let a = address.trim();
  if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1);
  const zone = a.indexOf('%');
  return zone >= 0 ? a.slice(0, zone) : a;
}

/** The 16 bytes of an IPv6 literal (already validated by isIP). */
function v6Bytes(address: string): Uint8Array {
  let text = address.toLowerCase();
  const bytes = new Uint8Array(16);
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = dotted[1]!.split('.').map(Number);
    text = `${text.slice(0, dotted.index)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const [head, rest] = text.includes('::') ? (text.split('::') as [string, string]) : [text, null];
  const headGroups = head ? head.split(':') : [];
  const restGroups = rest ? rest.split(':') : [];
  const groups = rest === null ? headGroups : [...headGroups, ...Array<string>(8 - headGroups.length - restGroups.length).fill('0'), ...restGroups];
  groups.forEach((g, i) => {
    const n = parseInt(g, 16);
    bytes[i * 2] = n >> 8;
    bytes[i * 2 + 1] = n & 0xff;
  });
  return bytes;
}

function v4FromBytes(b: Uint8Array, at: number): string {
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}

function isPublicV4(address: string): boolean {
  return !v4Reserved.check(address, 'ipv4');
}

function isPublicV6(address: string): boolean {
  const b = v6Bytes(address);
  const zeroPrefix = (n: number) => b.subarray(0, n).every((x) => x === 0);
  // ::ffff:a.b.c.d (IPv4-mapped): the socket would reach the IPv4 address
  if (zeroPrefix(10) && b[10] === 0xff && b[11] === 0xff) return isPublicV4(v4FromBytes(b, 12));
  // 6to4 (2002:AABB:CCDD::/48) tunnels to the embedded IPv4: refused whatever it embeds,
  // a private one reaches inside and a public one is a relay we do not want to use
  if (b[0] === 0x20 && b[1] === 0x02) return false;
  const canonical = Array.from({ length: 8 }, (_, i) => ((b[i * 2]! << 8) | b[i * 2 + 1]!).toString(16)).join(':');
  // outside 2000::/3 lie ::/128, ::1, ::/96 (IPv4-compatible), ::ffff:0:0:0/96, 64:ff9b::/96 and
  // 64:ff9b:1::/48 (NAT64), 100::/64 (discard), fc00::/7 (unique local), fe80::/10 (link-local), ff00::/8 (multicast)
  if (!v6GlobalUnicast.check(canonical, 'ipv6')) return false;
  return !v6Reserved.check(canonical, 'ipv6');
}

/** Whether `address` (an IP literal, brackets allowed) is a globally routable unicast address. Names are not addresses: false. */
export function isPublicAddress(address: string): boolean {
  const a = bare(address);
  switch (isIP(a)) {
    case 4:
      return isPublicV4(a);
    case 6:
      return isPublicV6(a);
    default:
      return false;
  }
}

const systemLookup: Lookup = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((r) => ({ address: r.address, family: r.family === 6 ? 6 : 4 }));

/**
 * Resolves `hostname` once (IP literals, bracketed or not, are taken as they are) and returns
 * the address to connect to. Every answer must be public unless `allowPrivate`: a name with
 * one private answer among public ones is refused, since a resolver may hand out either.
 */
export async function resolvePublic(hostname: string, opts: { lookup?: Lookup; allowPrivate?: boolean } = {}): Promise<ResolvedAddress> {
  const host = bare(hostname);
  if (!host) throw new UnsafeAddressError('empty host');
  const family = isIP(host);
  let answers: ResolvedAddress[];
  if (family === 4 || family === 6) {
    answers = [{ address: host, family }];
  } else {
    try {
      answers = await (opts.lookup ?? systemLookup)(host);
    } catch (err) {
      throw new UnsafeAddressError(`${host} does not resolve: ${(err as Error).message}`);
    }
  }
  const first = answers[0];
  if (!first) throw new UnsafeAddressError(`${host} does not resolve`);
  if (!opts.allowPrivate) {
    for (const a of answers) {
      if (!isPublicAddress(a.address)) throw new UnsafeAddressError(`${host} resolves to a non-public address (${a.address})`);
    }
  }
  return { address: bare(first.address), family: isIP(bare(first.address)) === 6 ? 6 : 4 };
}
