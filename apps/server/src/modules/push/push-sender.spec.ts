import { createECDH, randomBytes } from 'node:crypto';
import { generateVAPIDKeys } from 'web-push';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppConfig } from '../../config/app-config';
import { PushSender } from './push-sender';

const vapid = generateVAPIDKeys();
const config = {
  push: { vapid: { ...vapid, subject: 'mailto:admin@example.com' }, endpointAllowlist: [], idleMs: 0, ttlSeconds: 60, preview: true, timeoutMs: 2_000 },
} as unknown as AppConfig;

function subscription(endpoint: string) {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { endpoint, p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') };
}

describe('PushSender', () => {
  const sender = new PushSender(config);
  afterAll(() => sender.close());

  it('refuses at send time a name that resolves to loopback, as a failed push', async () => {
    // A name passes the checks that need no DNS; the connection's own lookup refuses it.
    const outcome = await sender.send(subscription('https://localhost:9/push'), '{}', { urgent: false, topic: 'abc' });
    expect(outcome).toEqual({ kind: 'failed', reason: 'localhost resolves to a non-public address' });
  });

  it('refuses an endpoint that is no longer acceptable (not allowlisted any more), sending nothing', async () => {
    const outcome = await sender.send(subscription('http://127.0.0.1:9/push'), '{}', { urgent: false, topic: 'abc' });
    expect(outcome).toEqual({ kind: 'failed', reason: 'endpoint must be an https URL' });
  });
});
