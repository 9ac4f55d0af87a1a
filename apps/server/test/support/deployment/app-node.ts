import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVER_ENTRY, type ServerProcess, spawnServer } from '@chat/test-kit';
import { DEPLOY, interpolate, readYaml } from './files';

/** The environment docker-compose.yml gives the app service `service`, with its defaults applied. */
export function composeAppEnvironment(service = 'app1'): Record<string, string> {
  const compose = readYaml(DEPLOY.compose);
  const env = compose.services?.[service]?.environment as Record<string, string | number | boolean> | undefined;
  if (!env || Array.isArray(env)) throw new Error(`docker-compose.yml: services.${service}.environment must be a mapping`);
  return Object.fromEntries(Object.entries(env).map(([name, value]) => [name, interpolate(String(value), {})]));
}

/** Variables that only make sense inside compose (container addresses, secret mounts). */
const COMPOSE_ONLY =
  /^(HOST|PORT|DATABASE_(HOST|PORT|USER|NAME|PASSWORD_FILE)|REDIS_(HOST|PORT|PASSWORD_FILE)|JWT_(ACCESS|REFRESH)_SECRET_FILE|VAPID_(PUBLIC|PRIVATE)_KEY_FILE)$/;

/**
 * The compose app environment for a node on this machine: the same settings (NODE_ENV, TRUST_PROXY,
 * COOKIE_SECURE, pool size, ...), the test's database and Redis instead of the containers', and
 * the JWT secrets and VAPID keys as files, read by the image's entrypoint exactly as compose secrets are.
 */
export function nodeEnvironment(options: {
  infraEnv: Record<string, string>;
  secrets: { JWT_ACCESS_SECRET: string; JWT_REFRESH_SECRET: string; VAPID_PUBLIC_KEY: string; VAPID_PRIVATE_KEY: string };
  secretsDir: string;
  overrides?: Record<string, string>;
}) {
  const fromCompose = Object.fromEntries(Object.entries(composeAppEnvironment()).filter(([name]) => !COMPOSE_ONLY.test(name)));
  const accessFile = join(options.secretsDir, 'jwt_access_secret');
  const refreshFile = join(options.secretsDir, 'jwt_refresh_secret');
  writeFileSync(accessFile, `${options.secrets.JWT_ACCESS_SECRET}\n`, { mode: 0o600 });
  writeFileSync(refreshFile, `${options.secrets.JWT_REFRESH_SECRET}\n`, { mode: 0o600 });
  const vapidPublicFile = join(options.secretsDir, 'vapid_public_key');
  const vapidPrivateFile = join(options.secretsDir, 'vapid_private_key');
  writeFileSync(vapidPublicFile, `${options.secrets.VAPID_PUBLIC_KEY}\n`, { mode: 0o600 });
  writeFileSync(vapidPrivateFile, `${options.secrets.VAPID_PRIVATE_KEY}\n`, { mode: 0o600 });
  return {
    ...fromCompose,
    ...options.infraEnv,
    JWT_ACCESS_SECRET_FILE: accessFile,
    JWT_REFRESH_SECRET_FILE: refreshFile,
    VAPID_PUBLIC_KEY_FILE: vapidPublicFile,
    VAPID_PRIVATE_KEY_FILE: vapidPrivateFile,
    ...options.overrides,
  };
}

/**
 * The built server started the way the image starts it: deploy/app/docker-entrypoint.sh, which
 * reads the *_FILE secrets and execs node (so signals reach the server itself). Same shape as
 * spawnServer, so waitUntilReady works on it.
 */
export function spawnAppNode(env: Record<string, string>, port: number, metricsPort = 0): ServerProcess {
  if (!existsSync(SERVER_ENTRY)) throw new Error(`${SERVER_ENTRY} is missing: run \`bun run build\` first`);
  // Whatever the compose environment says, this node listens where the test expects it.
  const pinned = { ...env, HOST: '127.0.0.1', PORT: String(port), METRICS_PORT: String(metricsPort) };
  return spawnServer(pinned, { port, metricsPort, command: 'sh', args: [DEPLOY.entrypoint, process.execPath, SERVER_ENTRY] });
}
