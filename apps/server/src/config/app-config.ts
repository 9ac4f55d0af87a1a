import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateVAPIDKeys } from 'web-push';
import { envSchema } from './config.schema';

export class ConfigError extends Error {}

/** The parsed configuration; injected by class so nothing else reads process.env. */
export class AppConfig {
  readonly env!: 'development' | 'production' | 'test';
  readonly host!: string;
  readonly port!: number;
  /** 0: no metrics endpoint. */
  readonly metricsPort!: number;
  readonly dataDir!: string;
  readonly databaseUrl?: string;
  readonly databasePoolSize!: number;
  readonly redisUrl?: string;
  readonly redisKeyPrefix!: string;
  readonly logLevel!: string;
  readonly corsOrigins!: string[];
  readonly jwt!: { accessSecret: string; refreshSecret: string; accessTtlSeconds: number; refreshTtlSeconds: number; refreshReuseGraceSeconds: number };
  readonly registerRateLimit!: number;
  readonly loginMaxFailures!: number;
  readonly messageRateLimit!: number;
  readonly searchRateLimit!: number;
  /** Reaction changes per user per 10 seconds. */
  readonly reactionRateLimit!: number;
  /** A PostgreSQL text search configuration name (validated against the built-in ones). */
  readonly searchLanguage!: string;
  readonly searchScanMessages!: number;
  readonly maxUploadBytes!: number;
  readonly uploadRateLimit!: number;
  readonly unattachedFileTtlSeconds!: number;
  readonly fileSweepIntervalMs!: number;
  /** Set when files go to S3-compatible storage; otherwise they live under DATA_DIR/files. */
  readonly s3?: { bucket: string; endpoint?: string; region: string; accessKeyId?: string; secretAccessKey?: string; forcePathStyle: boolean };
  readonly push!: {
    vapid: { publicKey: string; privateKey: string; subject: string };
    /** host:port entries admitted as push endpoints although not public https addresses. */
    endpointAllowlist: string[];
    idleMs: number;
    ttlSeconds: number;
    preview: boolean;
    timeoutMs: number;
  };
  readonly heartbeatTimeoutMs!: number;
  readonly typingTimeoutMs!: number;
  readonly receiptFlushIntervalMs!: number;
  readonly presenceTtlMs!: number;
  readonly maxSocketsPerUser!: number;
  readonly cookieSecure!: 'auto' | 'true' | 'false';
  readonly trustProxy!: boolean | number | string;
  readonly webDist?: string;

  constructor(values: AppConfig) {
    Object.assign(this, values);
  }
}

/**
 * Parses the environment once. A bad variable throws a ConfigError naming it; in production missing
 * JWT secrets or VAPID keys are fatal, in development they are generated once and kept under DATA_DIR.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env, warn: (message: string) => void = console.warn): AppConfig {
  const parsed = envSchema.safeParse(withSecretFiles(source));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const env = parsed.data;
  const dataDir = resolve(env.DATA_DIR);

  let accessSecret = env.JWT_ACCESS_SECRET;
  let refreshSecret = env.JWT_REFRESH_SECRET;
  if (!accessSecret || !refreshSecret) {
    if (env.NODE_ENV === 'production') {
      const missing = [!accessSecret && 'JWT_ACCESS_SECRET', !refreshSecret && 'JWT_REFRESH_SECRET'].filter(Boolean);
      throw new ConfigError(`Invalid configuration:\n  ${missing.join(', ')}: required when NODE_ENV=production`);
    }
    const generated = loadOrCreateDevSecrets(dataDir, warn);
    accessSecret ??= generated.accessSecret;
    refreshSecret ??= generated.refreshSecret;
  }
  if (accessSecret === refreshSecret) {
    throw new ConfigError('Invalid configuration:\n  JWT_REFRESH_SECRET: must differ from JWT_ACCESS_SECRET');
  }

  let vapidPublicKey = env.VAPID_PUBLIC_KEY;
  let vapidPrivateKey = env.VAPID_PRIVATE_KEY;
  if (!vapidPublicKey || !vapidPrivateKey) {
    if (env.NODE_ENV === 'production') {
      const missing = [!vapidPublicKey && 'VAPID_PUBLIC_KEY', !vapidPrivateKey && 'VAPID_PRIVATE_KEY'].filter(Boolean);
      throw new ConfigError(
        `Invalid configuration:\n  ${missing.join(', ')}: required when NODE_ENV=production (make a pair with: npx web-push generate-vapid-keys)`,
      );
    }
    if (vapidPublicKey || vapidPrivateKey) {
      throw new ConfigError('Invalid configuration:\n  VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY: set both or neither');
    }
    // Kept, so browsers' subscriptions (made for this public key) survive restarts.
    const generated = loadOrCreateDevVapidKeys(dataDir, warn);
    vapidPublicKey = generated.publicKey;
    vapidPrivateKey = generated.privateKey;
  }
  let vapidSubject = env.VAPID_SUBJECT ?? (env.PUBLIC_URL?.startsWith('https:') ? new URL(env.PUBLIC_URL).origin : undefined);
  if (!vapidSubject) {
    vapidSubject = 'mailto:admin@localhost';
    // Some push services refuse a subject they cannot reach anyone at.
    if (env.NODE_ENV === 'production') warn(`Neither VAPID_SUBJECT nor an https PUBLIC_URL is set; push services are told ${vapidSubject}.`);
  }

  if (env.METRICS_PORT !== 0 && env.METRICS_PORT === env.PORT) {
    throw new ConfigError('Invalid configuration:\n  METRICS_PORT: must differ from PORT (metrics stay off the public port)');
  }

  return new AppConfig({
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    metricsPort: env.METRICS_PORT,
    dataDir,
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    redisUrl: env.REDIS_URL,
    redisKeyPrefix: env.REDIS_KEY_PREFIX,
    logLevel: env.LOG_LEVEL,
    corsOrigins: env.CORS_ORIGIN,
    jwt: {
      accessSecret,
      refreshSecret,
      accessTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
      refreshTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
      refreshReuseGraceSeconds: env.REFRESH_REUSE_GRACE_SECONDS,
    },
    registerRateLimit: env.REGISTER_RATE_LIMIT,
    loginMaxFailures: env.LOGIN_MAX_FAILURES,
    messageRateLimit: env.MESSAGE_RATE_LIMIT,
    searchRateLimit: env.SEARCH_RATE_LIMIT,
    reactionRateLimit: env.REACTION_RATE_LIMIT,
    searchLanguage: env.SEARCH_LANGUAGE,
    searchScanMessages: env.SEARCH_SCAN_MESSAGES,
    maxUploadBytes: env.MAX_UPLOAD_BYTES,
    uploadRateLimit: env.UPLOAD_RATE_LIMIT,
    unattachedFileTtlSeconds: env.UNATTACHED_FILE_TTL_SECONDS,
    fileSweepIntervalMs: env.FILE_SWEEP_INTERVAL_SECONDS * 1000,
    s3: env.S3_BUCKET
      ? {
          bucket: env.S3_BUCKET,
          endpoint: env.S3_ENDPOINT,
          region: env.S3_REGION,
          accessKeyId: env.S3_ACCESS_KEY_ID,
          secretAccessKey: env.S3_SECRET_ACCESS_KEY,
          forcePathStyle: env.S3_FORCE_PATH_STYLE,
        }
      : undefined,
    push: {
      vapid: { publicKey: vapidPublicKey, privateKey: vapidPrivateKey, subject: vapidSubject },
      endpointAllowlist: env.PUSH_ENDPOINT_ALLOWLIST,
      idleMs: env.PUSH_IDLE_SECONDS * 1000,
      ttlSeconds: env.PUSH_TTL_SECONDS,
      preview: env.PUSH_MESSAGE_PREVIEW,
      timeoutMs: env.PUSH_TIMEOUT_SECONDS * 1000,
    },
    heartbeatTimeoutMs: env.HEARTBEAT_TIMEOUT_SECONDS * 1000,
    typingTimeoutMs: env.TYPING_TIMEOUT_SECONDS * 1000,
    receiptFlushIntervalMs: env.RECEIPT_FLUSH_INTERVAL_MS,
    presenceTtlMs: env.PRESENCE_TTL_SECONDS * 1000,
    maxSocketsPerUser: env.MAX_SOCKETS_PER_USER,
    cookieSecure: env.COOKIE_SECURE,
    trustProxy: env.TRUST_PROXY,
    webDist: env.WEB_DIST ? resolve(env.WEB_DIST) : undefined,
  });
}

/** Variables that may come from a file (`NAME_FILE=/run/secrets/...`), as container secrets do. */
const FILE_VARIABLES = [
  'JWT_ACCESS_SECRET',
  'JWT_REFRESH_SECRET',
  'DATABASE_URL',
  'REDIS_URL',
  'S3_ACCESS_KEY_ID',
  'S3_SECRET_ACCESS_KEY',
  'VAPID_PUBLIC_KEY',
  'VAPID_PRIVATE_KEY',
] as const;

function withSecretFiles(source: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = { ...source };
  for (const name of FILE_VARIABLES) {
    const file = source[`${name}_FILE`];
    if (!file || source[name]) continue;
    try {
      env[name] = readFileSync(file, 'utf8').trim();
    } catch {
      throw new ConfigError(`Invalid configuration:\n  ${name}_FILE: cannot read ${file}`);
    }
  }
  return env;
}

function loadOrCreateDevSecrets(dataDir: string, warn: (message: string) => void) {
  const file = join(dataDir, 'dev-secrets.json');
  if (existsSync(file)) {
    return JSON.parse(readFileSync(file, 'utf8')) as { accessSecret: string; refreshSecret: string };
  }
  mkdirSync(dataDir, { recursive: true });
  const secrets = {
    accessSecret: randomBytes(48).toString('base64url'),
    refreshSecret: randomBytes(48).toString('base64url'),
  };
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  warn(`JWT secrets were not set; generated development secrets in ${file}. Set JWT_ACCESS_SECRET and JWT_REFRESH_SECRET in production.`);
  return secrets;
}

function loadOrCreateDevVapidKeys(dataDir: string, warn: (message: string) => void) {
  const file = join(dataDir, 'dev-vapid-keys.json');
  if (existsSync(file)) {
    return JSON.parse(readFileSync(file, 'utf8')) as { publicKey: string; privateKey: string };
  }
  mkdirSync(dataDir, { recursive: true });
  const keys = generateVAPIDKeys();
  writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
  warn(`VAPID keys were not set; generated development keys in ${file}. Set VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY in production.`);
  return keys;
}
