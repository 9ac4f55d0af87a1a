import { z } from 'zod';
import { isoDateTimeSchema, uuidSchema } from '../common/id.schema';

export const PUSH_ENDPOINT_MAX = 2048;
/** The largest push payload the server sends (JSON, before encryption); push services take about 4 KB. */
export const PUSH_PAYLOAD_MAX_BYTES = 3072;
/** Characters of message text a push shows. */
export const PUSH_BODY_MAX = 200;

/** Bytes that base64url text decodes to, or null when it is not base64url (padding allowed, as some browsers send it). */
export function base64UrlByteLength(value: string): number | null {
  const unpadded = value.replace(/={1,2}$/, '');
  if (!/^[A-Za-z0-9_-]*$/.test(unpadded) || unpadded.length % 4 === 1) return null;
  return Math.floor((unpadded.length * 3) / 4);
}

const base64UrlOf = (bytes: number, name: string, what: string) =>
  z
    .string({ error: `${name} must be text` })
    .refine((value) => base64UrlByteLength(value) === bytes, { error: `${name} must be ${what} (${bytes} bytes, base64url)` });

/** POST /api/push/subscriptions: the browser's PushSubscription.toJSON(). */
export const pushSubscriptionRequestSchema = z.object({
  endpoint: z
    .string({ error: 'endpoint must be text' })
    .max(PUSH_ENDPOINT_MAX, { error: `endpoint must be at most ${PUSH_ENDPOINT_MAX} characters` })
    .pipe(z.url({ protocol: /^https?$/, error: 'endpoint must be an https URL' })),
  keys: z.object(
    {
      // An uncompressed P-256 point: 0x04, then x and y.
      p256dh: base64UrlOf(65, 'keys.p256dh', 'an uncompressed P-256 public key').refine((value) => value.startsWith('B'), {
        error: 'keys.p256dh must be an uncompressed P-256 public key (starting with 0x04)',
      }),
      auth: base64UrlOf(16, 'keys.auth', 'the subscription auth secret'),
    },
    { error: 'keys must hold p256dh and auth' },
  ),
});

export const pushSubscriptionSchema = z.object({
  id: uuidSchema,
  endpoint: z.string(),
  createdAt: isoDateTimeSchema,
});

export const pushSubscriptionIdParamSchema = z.object({ id: uuidSchema });

/** GET /api/push/vapid-public-key: the applicationServerKey for PushManager.subscribe (base64url). */
export const vapidPublicKeySchema = z.object({ publicKey: z.string() });

/** What the service worker receives in a push event (JSON), at most PUSH_PAYLOAD_MAX_BYTES. */
export const pushPayloadSchema = z.object({
  v: z.literal(1),
  conversationId: uuidSchema,
  messageId: uuidSchema,
  seq: z.number().int().positive(),
  /** The sender's name, and the group's title in groups. */
  title: z.string(),
  /** The text preview; absent when previews are off. */
  body: z.string().optional(),
  /** Where a click on the notification leads: `/c/<conversationId>?message=<messageId>&seq=<seq>` (as a search result opens it). */
  url: z.string(),
  /** Notifications with the same tag replace each other: one per conversation. */
  tag: z.string(),
});

export type PushSubscriptionRequest = z.infer<typeof pushSubscriptionRequestSchema>;
export type PushSubscriptionDto = z.infer<typeof pushSubscriptionSchema>;
export type VapidPublicKey = z.infer<typeof vapidPublicKeySchema>;
export type PushPayload = z.infer<typeof pushPayloadSchema>;
