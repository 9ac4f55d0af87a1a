import { createECDH, type ECDH, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type PushPayload, pushPayloadSchema } from '@chat/shared';
import { decrypt } from 'http_ece';
import { afterAll, beforeAll } from 'vitest';

/** A subscription as a browser makes it: its own P-256 key pair and auth secret, at its own endpoint path. */
export interface TestSubscription {
  path: string;
  json: { endpoint: string; keys: { p256dh: string; auth: string } };
  keys: { ecdh: ECDH; auth: Buffer };
}

export interface ReceivedPush {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** What the service answers on a path: a status, or 'hang' (no answer until released). */
export type PushAnswer = number | 'hang';

/**
 * A stand-in push service on 127.0.0.1: records every request and answers each path with the
 * statuses queued for it (then 201). `open(sub)` decrypts a recorded push with the subscription's
 * own keys, as the browser would, so the encryption is checked for real.
 */
export function usePushService() {
  let server: Server | undefined;
  let origin = '';
  const received: ReceivedPush[] = [];
  const answers = new Map<string, PushAnswer[]>();
  const hanging: ServerResponse[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const path = req.url ?? '/';
        received.push({ path, headers: req.headers, body: Buffer.concat(chunks) });
        const answer = answers.get(path)?.shift() ?? 201;
        if (answer === 'hang') hanging.push(res);
        else res.writeHead(answer).end();
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    release();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  function release() {
    for (const res of hanging.splice(0)) if (!res.writableEnded) res.writeHead(201).end();
  }

  return {
    /** host:port for PUSH_ENDPOINT_ALLOWLIST (after beforeAll). */
    get host() {
      return origin.replace('http://', '');
    },
    received,
    /** Answers the next requests to this subscription's endpoint with these, in order. */
    answer(sub: TestSubscription, ...queued: PushAnswer[]) {
      answers.set(sub.path, queued);
    },
    /** Answers every hanging request (201). */
    release,
    /** Requests still waiting for an answer. */
    openRequests: () => hanging.filter((res) => !res.writableEnded).length,
    subscription(): TestSubscription {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      const path = `/push/${randomUUID()}`;
      return {
        path,
        json: { endpoint: `${origin}${path}`, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') } },
        keys: { ecdh, auth },
      };
    },
    pushesTo: (sub: TestSubscription) => received.filter((push) => push.path === sub.path),
    /** The payload of a recorded push, decrypted (aes128gcm) with the subscription's keys. */
    open(push: ReceivedPush, sub: TestSubscription): PushPayload {
      const plain = decrypt(push.body, { version: 'aes128gcm', privateKey: sub.keys.ecdh, authSecret: sub.keys.auth });
      return pushPayloadSchema.parse(JSON.parse(plain.toString('utf8')));
    },
  };
}

/** Waits until `count()` reaches `expected`; fails naming `what` after `timeoutMs`. */
export async function waitForCount(count: () => number, expected: number, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (count() < expected) {
    if (Date.now() > deadline) throw new Error(`${what}: ${count()} of ${expected} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
