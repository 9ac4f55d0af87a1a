import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateVAPIDKeys } from 'web-push';
import { ConfigError, loadConfig } from './app-config';

const vapid = generateVAPIDKeys();
const secrets = {
  JWT_ACCESS_SECRET: 'a'.repeat(40),
  JWT_REFRESH_SECRET: 'b'.repeat(40),
  VAPID_PUBLIC_KEY: vapid.publicKey,
  VAPID_PRIVATE_KEY: vapid.privateKey,
};
const quiet = () => undefined;

describe('loadConfig', () => {
  it('reads secrets from NAME_FILE, as container secrets arrive', () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-'));
    writeFileSync(join(dir, 'access'), `${'c'.repeat(40)}\n`);
    writeFileSync(join(dir, 'db'), 'postgres://user:pw@db:5432/chat');
    writeFileSync(join(dir, 'vapid'), `${vapid.privateKey}\n`);
    const config = loadConfig(
      {
        NODE_ENV: 'production',
        JWT_ACCESS_SECRET_FILE: join(dir, 'access'),
        JWT_REFRESH_SECRET: 'b'.repeat(40),
        DATABASE_URL_FILE: join(dir, 'db'),
        VAPID_PUBLIC_KEY: vapid.publicKey,
        VAPID_PRIVATE_KEY_FILE: join(dir, 'vapid'),
        DATA_DIR: dir,
      },
      quiet,
    );
    expect(config.jwt.accessSecret).toBe('c'.repeat(40));
    expect(config.push.vapid.privateKey).toBe(vapid.privateKey);
    expect(config.databaseUrl).toBe('postgres://user:pw@db:5432/chat');
  });

  it('names an unreadable secret file', () => {
    expect(() => loadConfig({ ...secrets, REDIS_URL_FILE: '/nonexistent/redis' }, quiet)).toThrow(/REDIS_URL_FILE/);
  });

  it.each([
    ['false', false],
    ['true', true],
    ['1', 1],
    ['loopback', 'loopback'],
  ])('takes TRUST_PROXY=%s as %s', (value, expected) => {
    expect(loadConfig({ ...secrets, TRUST_PROXY: value, DATA_DIR: tmpdir() }, quiet).trustProxy).toBe(expected);
  });

  it('serves metrics on 9464 unless told otherwise, and never on the public port', () => {
    expect(loadConfig({ ...secrets, DATA_DIR: tmpdir() }, quiet).metricsPort).toBe(9464);
    expect(loadConfig({ ...secrets, DATA_DIR: tmpdir(), METRICS_PORT: '0' }, quiet).metricsPort).toBe(0);
    expect(() => loadConfig({ ...secrets, DATA_DIR: tmpdir(), PORT: '8080', METRICS_PORT: '8080' }, quiet)).toThrow(/METRICS_PORT/);
    expect(() => loadConfig({ ...secrets, DATA_DIR: tmpdir(), METRICS_PORT: 'ninety' }, quiet)).toThrow(/METRICS_PORT/);
  });

  it('refuses equal access and refresh secrets', () => {
    expect(() => loadConfig({ JWT_ACCESS_SECRET: 'x'.repeat(40), JWT_REFRESH_SECRET: 'x'.repeat(40) }, quiet)).toThrow(ConfigError);
  });

  it('requires VAPID keys in production, naming them', () => {
    const { VAPID_PRIVATE_KEY: _, ...withoutPrivate } = secrets;
    expect(() => loadConfig({ ...withoutPrivate, NODE_ENV: 'production', DATA_DIR: tmpdir() }, quiet)).toThrow(
      /VAPID_PRIVATE_KEY: required when NODE_ENV=production/,
    );
  });

  it('generates VAPID keys into DATA_DIR in development once, and keeps them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-'));
    const jwt = { JWT_ACCESS_SECRET: secrets.JWT_ACCESS_SECRET, JWT_REFRESH_SECRET: secrets.JWT_REFRESH_SECRET };
    const first = loadConfig({ ...jwt, DATA_DIR: dir }, quiet).push.vapid;
    const again = loadConfig({ ...jwt, DATA_DIR: dir }, quiet).push.vapid;
    expect(first.publicKey).toMatch(/^B[A-Za-z0-9_-]{86}$/);
    expect(again).toEqual(first);
    expect(first.subject).toMatch(/^mailto:/);
    expect(loadConfig({ ...jwt, DATA_DIR: dir, PUBLIC_URL: 'https://chat.example.com/app' }, quiet).push.vapid.subject).toBe('https://chat.example.com');
  });

  it.each([
    ['VAPID_PUBLIC_KEY', 'not-a-key'],
    ['VAPID_PRIVATE_KEY', 'c2hvcnQ'],
    ['VAPID_SUBJECT', 'admin@example.com'],
    ['PUSH_ENDPOINT_ALLOWLIST', 'localhost'],
    ['PUSH_TTL_SECONDS', '86401'],
  ])('names a bad %s', (name, value) => {
    expect(() => loadConfig({ ...secrets, DATA_DIR: tmpdir(), [name]: value }, quiet)).toThrow(new RegExp(name));
  });
});
