import { pushSubscriptionRequestSchema } from '@chat/shared';
import { ApiError } from '../../../lib/api-client';
import { pushApi } from '../api/push-api';
import { storedPushSubscriptionId, storePushSubscriptionId } from './device-preferences';

export const SERVICE_WORKER_URL = '/sw.js';

export type PushState = 'unsupported' | 'blocked' | 'on' | 'off';

export const pushSupported = (): boolean =>
  typeof navigator !== 'undefined' &&
  'serviceWorker' in navigator &&
  typeof window !== 'undefined' &&
  'PushManager' in window &&
  typeof Notification !== 'undefined';

/** The VAPID key as PushManager wants it: bytes, decoded from base64url. */
export function base64UrlToBytes(value: string): Uint8Array<ArrayBuffer> {
  const base64 = value.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const sameBytes = (a: ArrayBuffer | null, b: Uint8Array) => a !== null && a.byteLength === b.byteLength && new Uint8Array(a).every((byte, i) => byte === b[i]);

async function currentSubscription(): Promise<PushSubscription | null> {
  const registration = await navigator.serviceWorker.getRegistration(SERVICE_WORKER_URL);
  return (await registration?.pushManager.getSubscription()) ?? null;
}

/** On only when this browser holds a subscription and the server knows it as this user's. */
export async function readPushState(userId: string): Promise<PushState> {
  if (!pushSupported()) return 'unsupported';
  if (Notification.permission === 'denied') return 'blocked';
  return storedPushSubscriptionId(userId) !== null && (await currentSubscription()) !== null ? 'on' : 'off';
}

/**
 * Asks for permission if needed, registers the service worker, subscribes with the server's VAPID
 * key (a subscription made with another key is replaced: the server could not push to it) and
 * hands the subscription to the server. Resolves to the new state.
 */
export async function enablePush(userId: string): Promise<PushState> {
  if (!pushSupported()) return 'unsupported';
  const permission = Notification.permission === 'default' ? await Notification.requestPermission() : Notification.permission;
  if (permission !== 'granted') return permission === 'denied' ? 'blocked' : 'off';
  await navigator.serviceWorker.register(SERVICE_WORKER_URL);
  const registration = await navigator.serviceWorker.ready;
  const key = base64UrlToBytes((await pushApi.vapidPublicKey()).publicKey);
  let subscription = await registration.pushManager.getSubscription();
  if (subscription && !sameBytes(subscription.options.applicationServerKey, key)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  const saved = await pushApi.subscribe(pushSubscriptionRequestSchema.parse(subscription.toJSON()));
  storePushSubscriptionId(userId, saved.id);
  return 'on';
}

/** Forgets the subscription on the server (one already gone there is fine) and in the browser. */
export async function disablePush(userId: string): Promise<PushState> {
  const id = storedPushSubscriptionId(userId);
  if (id !== null) {
    await pushApi.unsubscribe(id).catch((error: unknown) => {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
    });
    storePushSubscriptionId(userId, null);
  }
  await (await currentSubscription())?.unsubscribe();
  return readPushState(userId);
}
