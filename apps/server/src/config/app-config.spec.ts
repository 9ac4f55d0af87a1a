import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './app-config';

const secrets = { JWT_ACCESS_SECRET: 'a'.repeat(40), JWT_REFRESH_SECRET: 'b'.repeat(40) };
const quiet = () => undefined;

describe('loadConfig', () => {
  it('reads secrets from NAME_FILE, as container secrets arrive', () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-'));
    writeFileSync(join(dir, 'access'), `${'c'.repeat(40)}\n`);
    writeFileSync(join(dir, 'db'), 'postgres://user:pw@db:5432/chat');
    const config = loadConfig(
      {
        NODE_ENV: 'production',
        JWT_ACCESS_SECRET_FILE: join(dir, 'access'),
        JWT_REFRESH_SECRET: 'b'.repeat(40),
        DATABASE_URL_FILE: join(dir, 'db'),
        DATA_DIR: dir,
      },
      quiet,
    );
    expect(config.jwt.accessSecret).toBe('c'.repeat(40));
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
});
