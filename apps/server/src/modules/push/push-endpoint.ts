import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, isIPv4, type LookupFunction } from 'node:net';

/**
 * Push endpoints come from browsers, that is from anyone: the server posts to them. So that nobody
 * can make it post into its own network, an endpoint must be an https URL on a public address.
 * Hosts on the allowlist (host:port) are admitted as they are, http included.
 */

// Everything IPv4 that is not public unicast: this network, private, CGNAT, loopback, link-local,
// protocol assignments, documentation, benchmarking, multicast, reserved and broadcast.
const BLOCKED_V4: Array<[string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];
const blockedV4 = new BlockList();
for (const [network, prefix] of BLOCKED_V4) blockedV4.addSubnet(network, prefix, 'ipv4');

/** The 16 bytes of an IPv6 address (which isIP already accepted), dotted IPv4 tail included. */
function ipv6Bytes(address: string): number[] {
  let text = address.replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const groupsOf = (part: string | undefined) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const front = groupsOf(head);
  const back = groupsOf(tail);
  const groups = tail === undefined ? front : [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
  return groups.flatMap((group) => [group >> 8, group & 0xff]);
}

const v4Of = (bytes: number[], at: number) => bytes.slice(at, at + 4).join('.');

/** True for an address anyone on the internet could reach; false for every private, local or special one. */
export function isPublicAddress(address: string): boolean {
  if (isIPv4(address)) return !blockedV4.check(address, 'ipv4');
  if (isIP(address) !== 6) return false;
  const bytes = ipv6Bytes(address);
  // IPv4-mapped (::ffff:a.b.c.d): the IPv4 address is what is reached.
  if (bytes.slice(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return isPublicAddress(v4Of(bytes, 12));
  // 6to4 (2002::/16) carries an IPv4 address in bytes 2-5.
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return isPublicAddress(v4Of(bytes, 2));
  // Only global unicast (2000::/3) is public; that leaves out unspecified, loopback, IPv4-compatible,
  // NAT64, discard, ULA (fc00::/7), link-local (fe80::/10) and multicast (ff00::/8).
  if ((bytes[0]! & 0xe0) !== 0x20) return false;
  // Teredo (2001::/32) and documentation (2001:db8::/32).
  if (bytes[0] === 0x20 && bytes[1] === 0x01 && ((bytes[2] === 0 && bytes[3] === 0) || (bytes[2] === 0x0d && bytes[3] === 0xb8))) return false;
  return true;
}

export type EndpointCheck = { ok: true; url: URL; allowlisted: boolean } | { ok: false; reason: string };

/** The URL's host:port as the allowlist spells it (default ports written out, IPv6 in brackets). */
const hostPortOf = (url: URL) => `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`.toLowerCase();

/**
 * What can be said of an endpoint without DNS: its scheme, credentials, and an IP literal host.
 * A name still has to resolve to public addresses only (resolveEndpoint, publicOnlyLookup).
 */
export function checkEndpointUrl(endpoint: string, allowlist: readonly string[]): EndpointCheck {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return { ok: false, reason: 'endpoint must be a URL' };
  }
  if (url.username || url.password) return { ok: false, reason: 'endpoint must not carry credentials' };
  if (allowlist.includes(hostPortOf(url)) && (url.protocol === 'https:' || url.protocol === 'http:')) return { ok: true, url, allowlisted: true };
  if (url.protocol !== 'https:') return { ok: false, reason: 'endpoint must be an https URL' };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    return isPublicAddress(host) ? { ok: true, url, allowlisted: false } : { ok: false, reason: 'endpoint must be on a public address' };
  }
  return { ok: true, url, allowlisted: false };
}

/** checkEndpointUrl, then every address the host resolves to must be public. */
export async function resolveEndpoint(endpoint: string, allowlist: readonly string[]): Promise<EndpointCheck> {
  const checked = checkEndpointUrl(endpoint, allowlist);
  if (!checked.ok || checked.allowlisted || isIP(checked.url.hostname.replace(/^\[|\]$/g, ''))) return checked;
  try {
    const addresses = await lookupAll(checked.url.hostname);
    return addresses.every((entry) => isPublicAddress(entry.address)) ? checked : { ok: false, reason: 'endpoint must be on a public address' };
  } catch {
    return { ok: false, reason: 'endpoint host does not resolve' };
  }
}

const lookupAll = (hostname: string) =>
  new Promise<LookupAddress[]>((resolve, reject) => dnsLookup(hostname, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));

export class UnsafeAddressError extends Error {
  readonly code = 'EPUSHUNSAFE';
}

/**
 * A socket lookup that fails unless every address of the name is public: the connection uses
 * the very addresses checked, so DNS answering differently a moment later changes nothing.
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const refused = addresses.find((entry) => !isPublicAddress(entry.address));
    if (refused || addresses.length === 0) return callback(new UnsafeAddressError(`${hostname} resolves to a non-public address`), '', 0);
    if (options.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};
