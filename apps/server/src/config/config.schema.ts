import { base64UrlByteLength } from '@chat/shared';
import { z } from 'zod';

/** Express's "trust proxy": false, true (any hop, unsafe unless the proxy rewrites the header), a hop count, or addresses. */
const trustProxy = z
  .string()
  .min(1)
  .transform((value): boolean | number | string => {
    if (value === 'true' || value === 'false') return value === 'true';
    return /^\d+$/.test(value) ? Number(value) : value;
  });

/** PostgreSQL's built-in text search configurations (each a Snowball stemmer, or none for simple). */
const SEARCH_LANGUAGES = [
  'simple',
  'arabic',
  'danish',
  'dutch',
  'english',
  'finnish',
  'french',
  'german',
  'greek',
  'hungarian',
  'indonesian',
  'irish',
  'italian',
  'lithuanian',
  'nepali',
  'norwegian',
  'portuguese',
  'romanian',
  'russian',
  'spanish',
  'swedish',
  'tamil',
  'turkish',
] as const;

const secret = z.string().min(32, { error: 'must be at least 32 characters' });

/** Every environment variable the server reads, parsed once at boot. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  // Prometheus scrapes this port, never the public one; 0 serves no metrics at all.
  METRICS_PORT: z.coerce.number().int().min(0).max(65_535).default(9464),
  DATA_DIR: z.string().min(1).default('./.data'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' }).optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(20),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  REDIS_KEY_PREFIX: z.string().default('chat:'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CORS_ORIGIN: z
    .string()
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    ),
  JWT_ACCESS_SECRET: secret.optional(),
  JWT_REFRESH_SECRET: secret.optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(2).max(86_400).default(900),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .default(7 * 24 * 3600),
  // Two tabs refreshing with one cookie within this window both succeed instead of tripping reuse detection.
  REFRESH_REUSE_GRACE_SECONDS: z.coerce.number().int().min(0).max(300).default(10),
  REGISTER_RATE_LIMIT: z.coerce.number().int().min(0).default(100),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  MESSAGE_RATE_LIMIT: z.coerce.number().int().min(1).default(30),
  // Searches per user per 10 seconds.
  SEARCH_RATE_LIMIT: z.coerce.number().int().min(1).default(30),
  REACTION_RATE_LIMIT: z.coerce.number().int().min(1).default(60),
  // Stems the words of a search. Stored messages are indexed in English plus exact words (migration
  // 0006); another language here only finds its words in exactly the form typed (docs/decisions.md).
  SEARCH_LANGUAGE: z.enum(SEARCH_LANGUAGES).default('english'),
  // Messages the first scanning pass of a search over many conversations reads; later passes read
  // up to five times as many before the full-text index takes over (search-passes.ts).
  SEARCH_SCAN_MESSAGES: z.coerce.number().int().min(1).default(1_000),
  // Files: the largest upload (bytes; 25 MB) and uploads per user per minute.
  MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(25 * 1024 * 1024),
  UPLOAD_RATE_LIMIT: z.coerce.number().int().min(1).default(30),
  // Files no message took are removed this long after their upload (24 h), checked this often.
  UNATTACHED_FILE_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(24 * 3600),
  FILE_SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(600),
  // S3-compatible object storage for files; without S3_BUCKET files live under DATA_DIR/files.
  S3_BUCKET: z.string().min(1).optional(),
  S3_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  // Path-style URLs (endpoint/bucket/key), as MinIO and most self-hosted servers want.
  S3_FORCE_PATH_STYLE: z.stringbool().default(true),
  // Sockets that send nothing (not even presence:heartbeat) for this long are dropped.
  HEARTBEAT_TIMEOUT_SECONDS: z.coerce.number().min(1).max(3600).default(30),
  TYPING_TIMEOUT_SECONDS: z.coerce.number().min(0.5).max(60).default(5),
  // Group read counts are flushed and broadcast in batches this often.
  RECEIPT_FLUSH_INTERVAL_MS: z.coerce.number().int().min(50).max(600_000).default(10_000),
  // A device that sends no heartbeat for this long counts as gone.
  PRESENCE_TTL_SECONDS: z.coerce.number().min(1).max(3600).default(30),
  // Open sockets per user on one node; more are refused with CONNECTION_LIMIT.
  MAX_SOCKETS_PER_USER: z.coerce.number().int().min(1).max(1000).default(20),
  // Web Push. VAPID keys as web-push's generateVAPIDKeys() writes them (base64url); generated into
  // DATA_DIR outside production. The subject (mailto: or https:) tells push services whom to contact.
  VAPID_PUBLIC_KEY: z
    .string()
    .refine((value) => base64UrlByteLength(value) === 65, { error: 'must be a base64url P-256 public key (65 bytes)' })
    .optional(),
  VAPID_PRIVATE_KEY: z
    .string()
    .refine((value) => base64UrlByteLength(value) === 32, { error: 'must be a base64url P-256 private key (32 bytes)' })
    .optional(),
  VAPID_SUBJECT: z
    .string()
    .refine((value) => /^(mailto:|https:\/\/)\S+$/.test(value), { error: 'must be a mailto: address or an https: URL' })
    .optional(),
  // The public address of the app, for the default VAPID subject.
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  // Push endpoints allowed although not public https addresses, as host:port (a local push service in tests).
  PUSH_ENDPOINT_ALLOWLIST: z
    .string()
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(',')
        .map((host) => host.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^[^\s:/]+:\d{1,5}$|^\[[0-9a-f:.]+\]:\d{1,5}$/, { error: 'each entry must be host:port' }))),
  // A recipient with a live socket gets a push only if the message is still unread this long after it.
  PUSH_IDLE_SECONDS: z.coerce.number().min(0).max(86_400).default(120),
  // How long a push service keeps a push for an offline device (at most a day).
  PUSH_TTL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(86_400),
  // false: pushes say "New message" instead of the text (nothing of it leaves for the push service).
  PUSH_MESSAGE_PREVIEW: z.stringbool().default(true),
  // A push service that answers nothing within this is given up on for this try.
  PUSH_TIMEOUT_SECONDS: z.coerce.number().min(1).max(120).default(10),
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  TRUST_PROXY: trustProxy.default(false),
  WEB_DIST: z.string().optional(),
});

export type Env = z.infer<typeof envSchema>;
