import { Agent as HttpAgent, type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Injectable } from '@nestjs/common';
import { generateRequestDetails, getVapidHeaders } from 'web-push';
import { AppConfig } from '../../config/app-config';
import { checkEndpointUrl, publicOnlyLookup, UnsafeAddressError } from './push-endpoint';

export type PushOutcome =
  | { kind: 'delivered' }
  /** The push service says the subscription is no more (404, 410). */
  | { kind: 'gone' }
  /** Worth another try later (429, 5xx, no answer); `retryAfterMs` when the service said when. */
  | { kind: 'retry'; reason: string; retryAfterMs?: number }
  /** Refused for good: another 4xx, or an endpoint that is not (or no longer) a public address. */
  | { kind: 'failed'; reason: string };

export interface PushTarget {
  endpoint: string;
  p256dh: string;
  auth: string;
}

/** Retry-After as seconds or an HTTP date, in ms from now. */
function retryAfterMs(headers: IncomingHttpHeaders): number | undefined {
  const value = headers['retry-after'];
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** A VAPID JWT is good for 12 h; one signed per push service is reused for an hour of it. */
const VAPID_JWT_SECONDS = 12 * 3600;
const VAPID_REUSE_MS = 3600_000;

/**
 * Sends one Web Push. web-push builds the request (aes128gcm encryption, the VAPID JWT, TTL,
 * Urgency and Topic headers); the request itself goes out here, because web-push's sendNotification
 * speaks https only (an allowlisted local endpoint is http) and takes no DNS lookup of ours: public
 * endpoints connect through publicOnlyLookup, so the addresses checked are the ones connected to.
 */
@Injectable()
export class PushSender {
  private readonly publicAgent = new HttpsAgent({ keepAlive: true, lookup: publicOnlyLookup });
  private readonly allowlistedHttps = new HttpsAgent({ keepAlive: true });
  private readonly allowlistedHttp = new HttpAgent({ keepAlive: true });

  /** Per push service origin (the JWT's audience): signing one costs more than encrypting a push. */
  private readonly vapidByAudience = new Map<string, { authorization: string; renewAt: number }>();

  constructor(private readonly config: AppConfig) {}

  async send(target: PushTarget, payload: string, options: { urgent: boolean; topic: string }): Promise<PushOutcome> {
    const { push } = this.config;
    const checked = checkEndpointUrl(target.endpoint, push.endpointAllowlist);
    if (!checked.ok) return { kind: 'failed', reason: checked.reason };
    const details = generateRequestDetails({ endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } }, payload, {
      TTL: push.ttlSeconds,
      urgency: options.urgent ? 'high' : 'normal',
      topic: options.topic,
      contentEncoding: 'aes128gcm',
    });
    const { url } = checked;
    // No vapidDetails above: the JWT is signed here once per push service for a while, not per push.
    details.headers.Authorization = this.vapidAuthorization(url.origin);
    const http = url.protocol === 'http:';
    const agent = !checked.allowlisted ? this.publicAgent : http ? this.allowlistedHttp : this.allowlistedHttps;

    return new Promise<PushOutcome>((resolve) => {
      const request = (http ? httpRequest : httpsRequest)(url, { method: 'POST', headers: details.headers, agent, timeout: push.timeoutMs }, (response) => {
        const status = response.statusCode ?? 0;
        // The answer's body tells nothing we act on; read it so the connection can be reused.
        response.resume();
        response.on('error', () => resolve({ kind: 'retry', reason: 'the answer broke off' }));
        response.on('end', () => {
          if (status >= 200 && status < 300) resolve({ kind: 'delivered' });
          else if (status === 404 || status === 410) resolve({ kind: 'gone' });
          else if (status === 429 || status >= 500)
            resolve({ kind: 'retry', reason: `push service answered ${status}`, retryAfterMs: retryAfterMs(response.headers) });
          else resolve({ kind: 'failed', reason: `push service answered ${status}` });
        });
      });
      request.on('timeout', () => request.destroy(new Error('push service did not answer in time')));
      request.on('error', (error) =>
        resolve(error instanceof UnsafeAddressError ? { kind: 'failed', reason: error.message } : { kind: 'retry', reason: error.message }),
      );
      request.end(details.body);
    });
  }

  /** Ends every open connection, those still waiting for an answer included. */
  close(): void {
    for (const agent of [this.publicAgent, this.allowlistedHttps, this.allowlistedHttp]) agent.destroy();
  }

  private vapidAuthorization(audience: string): string {
    const now = Date.now();
    const cached = this.vapidByAudience.get(audience);
    if (cached && cached.renewAt > now) return cached.authorization;
    const { subject, publicKey, privateKey } = this.config.push.vapid;
    const expiration = Math.floor(now / 1000) + VAPID_JWT_SECONDS;
    const { Authorization: authorization } = getVapidHeaders(audience, subject, publicKey, privateKey, 'aes128gcm', expiration);
    this.vapidByAudience.set(audience, { authorization, renewAt: now + VAPID_REUSE_MS });
    return authorization;
  }
}
