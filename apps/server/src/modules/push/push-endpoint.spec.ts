import { describe, expect, it } from 'vitest';
import { checkEndpointUrl, isPublicAddress, publicOnlyLookup, resolveEndpoint, UnsafeAddressError } from './push-endpoint';

describe('isPublicAddress', () => {
  it.each([
    '0.0.0.0',
    '10.1.2.3',
    '100.64.0.1',
    '100.127.255.254',
    '127.0.0.1',
    '127.255.0.9',
    '169.254.169.254',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '192.0.2.5',
    '198.18.0.1',
    '224.0.0.1',
    '239.255.255.250',
    '240.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'fe80::1%eth0',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::ffff:a9fe:a9fe',
    '::127.0.0.1',
    '64:ff9b::a00:1',
    '2002:c0a8:101::1',
    '2001:db8::1',
    '2001::1',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '100.128.0.1',
    '192.169.0.1',
    '2606:4700:4700::1111',
    '2a00:1450:4001:80b::200a',
    '::ffff:8.8.8.8',
    '2002:808:808::1',
  ])('admits %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it('refuses what is not an address', () => {
    expect(isPublicAddress('push.example.com')).toBe(false);
  });
});

describe('checkEndpointUrl', () => {
  const allowlist = ['127.0.0.1:4000', 'push.local:8443'];

  it('admits an https URL on a public name or address', () => {
    expect(checkEndpointUrl('https://fcm.googleapis.com/fcm/send/abc', [])).toMatchObject({ ok: true, allowlisted: false });
    expect(checkEndpointUrl('https://8.8.8.8/push', [])).toMatchObject({ ok: true, allowlisted: false });
  });

  it.each([
    ['http://push.example.com/x', 'https'],
    ['ftp://push.example.com/x', 'https'],
    ['https://user:pass@push.example.com/x', 'credentials'],
    ['https://127.0.0.1/x', 'public'],
    ['https://[::1]/x', 'public'],
    ['https://[::ffff:192.168.0.1]/x', 'public'],
    ['https://0x7f000001/x', 'public'],
    ['https://2130706433/x', 'public'],
    ['not a url', 'URL'],
    ['http://127.0.0.1:4001/x', 'https'],
  ])('refuses %s', (endpoint, reason) => {
    const checked = checkEndpointUrl(endpoint, allowlist);
    expect(checked.ok).toBe(false);
    expect(!checked.ok && checked.reason).toContain(reason);
  });

  it('admits allowlisted host:port as is, http included, and nothing else on that host', () => {
    expect(checkEndpointUrl('http://127.0.0.1:4000/push/1', allowlist)).toMatchObject({ ok: true, allowlisted: true });
    expect(checkEndpointUrl('https://push.local:8443/x', allowlist)).toMatchObject({ ok: true, allowlisted: true });
    expect(checkEndpointUrl('http://127.0.0.1/x', allowlist).ok).toBe(false);
  });
});

describe('resolving names', () => {
  it('refuses a name that resolves to loopback', async () => {
    expect(await resolveEndpoint('https://localhost/x', [])).toEqual({ ok: false, reason: 'endpoint must be on a public address' });
  });

  it('refuses a name that does not resolve', async () => {
    expect(await resolveEndpoint('https://push.example.invalid/x', [])).toEqual({ ok: false, reason: 'endpoint host does not resolve' });
  });

  it('the connection lookup refuses a name that resolves to loopback, in both forms a socket asks for', async () => {
    const lookupOnce = (all: boolean) => new Promise<unknown>((resolve) => publicOnlyLookup('localhost', { all }, (error) => resolve(error)));
    for (const all of [false, true]) expect(await lookupOnce(all)).toBeInstanceOf(UnsafeAddressError);
  });
});
