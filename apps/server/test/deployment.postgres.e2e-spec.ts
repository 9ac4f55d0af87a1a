import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { io } from 'socket.io-client';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, registerThrough, type SignedIn } from './support/builders';
import { FailoverClient } from './support/deployment/failover-client';
import { nodeEnvironment, spawnAppNode } from './support/deployment/app-node';
import {
  baseMetricName,
  declaredMetrics,
  DEPLOY,
  type Document,
  exposedMetrics,
  metricNamesIn,
  readText,
  readYaml,
  repoPath,
  requireTool,
  run,
  sampleValue,
} from './support/deployment/files';
import { type NginxProcess, startNginx, writeNginxConf } from './support/deployment/nginx';
import { type Certificate, makeCertificate } from './support/deployment/tls';
import { createTestInfra, type TestInfra } from './support/infra';
import { freePort, type ServerProcess, waitUntilReady } from './support/server-process';
import { type ClientSocket, emitWithAck, sleep } from './support/sockets';
import { TEST_SECRETS } from './support/test-app';

/**
 * The production deployment (Dockerfile, docker-compose.yml, deploy/) checked without containers:
 * the configuration files are validated with the real tools (promtool, nginx -t), and the compose
 * topology (nginx with TLS in front of two app nodes on one PostgreSQL and one Redis) runs on this
 * machine with the same nginx.conf, the same app environment and the same entrypoint.
 */

const APP_SERVICES = ['app1', 'app2'];
const PROMTOOL = () => requireTool('promtool', 'prometheus');

/** Every PromQL expression in the Grafana dashboard. */
function dashboardExpressions(dashboard: Document): string[] {
  const exprs: string[] = [];
  const visit = (panels: Document[] = []) => {
    for (const panel of panels) {
      for (const target of panel.targets ?? []) if (target.expr) exprs.push(target.expr);
      visit(panel.panels);
    }
  };
  visit(dashboard.panels);
  return exprs;
}

function prometheusRules(): Document[] {
  return readYaml(DEPLOY.prometheusAlerts).groups.flatMap((group: Document) => group.rules);
}

function grafanaRules(): Document[] {
  return readYaml(DEPLOY.grafanaAlerts).groups.flatMap((group: Document) => group.rules);
}

const grafanaExpressions = () =>
  grafanaRules().flatMap((rule) => rule.data.filter((query: Document) => query.model.expr).map((query: Document) => query.model.expr as string));

/** Every chat_* metric the dashboard and both sets of alert rules query, histogram suffixes removed. */
function referencedMetrics(): string[] {
  const { histograms } = declaredMetrics();
  const exprs = [
    ...dashboardExpressions(JSON.parse(readText(DEPLOY.grafanaDashboard))),
    ...prometheusRules().map((rule) => rule.expr as string),
    ...grafanaExpressions(),
  ];
  return [...new Set(exprs.flatMap(metricNamesIn).map((name) => baseMetricName(name, histograms)))].sort();
}

describe('deployment files', () => {
  it('passes promtool: the Prometheus config, the alert rules and their unit tests', () => {
    const promtool = PROMTOOL();
    for (const args of [
      ['check', 'config', DEPLOY.prometheusConfig],
      ['check', 'rules', DEPLOY.prometheusAlerts],
      ['test', 'rules', DEPLOY.prometheusAlertTests],
    ]) {
      const result = run(promtool, args);
      expect(result.status, `promtool ${args.join(' ')}\n${result.stdout}${result.stderr}`).toBe(0);
    }
    const alerts = prometheusRules().map((rule) => rule.alert);
    expect(alerts).toEqual(expect.arrayContaining(['ChatNodeDown', 'ChatRedisDown', 'ChatHighErrorRate', 'ChatHttpLatencyHigh', 'ChatMessageAckLatencyHigh']));
    const exprs = prometheusRules()
      .map((rule) => rule.expr as string)
      .join('\n');
    expect(exprs).toMatch(/up\{job="chat"\} == 0/);
    expect(exprs).toMatch(/chat_http_request_duration_seconds_count\{[^}]*status=~"5\.\."/);
    expect(exprs).toMatch(/histogram_quantile\(0\.95,[\s\S]*chat_http_request_duration_seconds_bucket/);
    expect(exprs).toMatch(/histogram_quantile\(0\.95,[\s\S]*chat_message_send_ack_seconds_bucket/);
    expect(exprs).toMatch(/chat_redis_up\{[^}]*\} == 0/);
  });

  it('scrapes exactly the compose app nodes, which nginx balances over', () => {
    const prometheus = readYaml(DEPLOY.prometheusConfig);
    const chatJob = prometheus.scrape_configs.find((job: Document) => job.job_name === 'chat');
    expect(chatJob.metrics_path ?? '/metrics').toBe('/metrics');
    const targets = chatJob.static_configs.flatMap((config: Document) => config.targets).sort();
    // The metrics port, not the public one (which has no /metrics).
    const metricsPort = readYaml(DEPLOY.compose).services[APP_SERVICES[0]].environment.METRICS_PORT;
    expect(metricsPort).toMatch(/^\d+$/);
    expect(metricsPort).not.toBe('3000');
    expect(targets).toEqual(APP_SERVICES.map((service) => `${service}:${metricsPort}`));

    const nginx = readText(DEPLOY.nginxConf);
    for (const upstream of ['chat_http', 'chat_socket']) {
      const block = new RegExp(`upstream ${upstream} \\{([^}]*)\\}`).exec(nginx)?.[1] ?? '';
      const servers = [...block.matchAll(/server\s+(\S+)\s+([^;]*);/g)];
      expect(servers.map((server) => server[1]).sort(), upstream).toEqual(APP_SERVICES.map((service) => `${service}:3000`));
      for (const server of servers) expect(server[2], `${upstream} ${server[1]}`).toMatch(/max_fails=\d+ fail_timeout=\d+s/);
    }
    expect(nginx).toMatch(/location \/socket\.io\/ \{[^}]*proxy_pass http:\/\/chat_socket;[^}]*proxy_read_timeout 1h;/);
    expect(nginx).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
    expect(nginx).toMatch(/proxy_set_header Connection \$connection_upgrade;/);
    for (const header of ['X-Forwarded-For', 'X-Forwarded-Proto', 'Host']) expect(nginx).toMatch(new RegExp(`proxy_set_header ${header} \\S+;`));
  });

  it('is a docker-compose.yml with every service healthy-checked, ordered by health, and no secret in it', () => {
    const composeText = readText(DEPLOY.compose);
    const compose = readYaml(DEPLOY.compose);
    const services = compose.services as Record<string, Document>;
    expect(Object.keys(services).sort()).toEqual([...APP_SERVICES, 'grafana', 'nginx', 'postgres', 'prometheus', 'redis'].sort());
    for (const [name, service] of Object.entries(services)) expect(service.healthcheck?.test, `${name} healthcheck`).toBeDefined();

    // Both nodes: one image, one configuration, one database, one Redis, one key prefix.
    const [first, ...others] = APP_SERVICES.map((name) => services[name]);
    for (const other of others) {
      expect(other.environment).toEqual(first.environment);
      expect(other.image).toBe(first.image);
    }
    expect(first.build.dockerfile).toBe('Dockerfile');
    expect(first.environment).toMatchObject({ NODE_ENV: 'production', TRUST_PROXY: 'true', REDIS_KEY_PREFIX: expect.any(String) });
    expect(first.healthcheck.test.join(' ')).toContain('/health/ready');
    expect(first.ports).toBeUndefined();
    for (const dependency of ['postgres', 'redis']) expect(first.depends_on[dependency].condition).toBe('service_healthy');
    for (const app of APP_SERVICES) expect(services.nginx.depends_on[app].condition).toBe('service_healthy');
    expect(services.grafana.depends_on.prometheus.condition).toBe('service_healthy');

    // Only nginx (80/443) and Grafana (3001) are public; Prometheus listens on the host's loopback.
    expect(services.nginx.ports.map(String)).toEqual(['${HTTP_PORT:-80}:80', '${HTTPS_PORT:-443}:443']);
    expect(services.grafana.ports.map(String)).toEqual(['${GRAFANA_PORT:-3001}:3000']);
    expect(services.prometheus.ports.map(String).every((port: string) => port.startsWith('127.0.0.1:'))).toBe(true);
    for (const name of ['postgres', 'redis', ...APP_SERVICES]) expect(services[name].ports, name).toBeUndefined();
    expect(compose.networks.backend.internal).toBe(true);

    expect(services.postgres.image).toMatch(/^postgres:15/);
    expect(services.postgres.volumes.join(' ')).toContain(':/var/lib/postgresql/data');
    expect(services.postgres.environment.POSTGRES_PASSWORD_FILE).toBe('/run/secrets/postgres_password');
    expect(services.redis.image).toMatch(/^redis:7/);
    expect(services.redis.volumes.join(' ')).toContain(':/data');
    expect(services.redis.command.join(' ')).toContain('--appendonly yes');
    expect(services.nginx.volumes).toContain('./deploy/nginx/nginx.conf:/etc/nginx/nginx.conf:ro');
    expect(services.prometheus.volumes).toContain('./deploy/prometheus:/etc/prometheus:ro');
    expect(services.grafana.volumes).toContain('./deploy/grafana/provisioning:/etc/grafana/provisioning:ro');

    // Secrets: files under deploy/secrets (git-ignored, with committed *.example placeholders),
    // passed as *_FILE; no value that looks like a secret or a URL with credentials.
    const secretFiles = Object.values(compose.secrets as Record<string, { file: string }>).map((secret) => secret.file);
    for (const file of secretFiles) {
      expect(file).toMatch(/^\.\/deploy\/secrets\/[\w.]+$/);
      expect(existsSync(repoPath(`${file}.example`)), `${file}.example`).toBe(true);
    }
    expect(readText(repoPath('deploy/.gitignore'))).toMatch(/^\/secrets\/\*$/m);
    for (const [name, service] of Object.entries(services)) {
      for (const secret of service.secrets ?? [])
        expect(compose.secrets[typeof secret === 'string' ? secret : secret.source], `${name}: ${JSON.stringify(secret)}`).toBeDefined();
      for (const [key, value] of Object.entries((service.environment ?? {}) as Record<string, unknown>)) {
        if (/(SECRET|PASSWORD|TOKEN|_KEY)$/.test(key)) throw new Error(`${name}: ${key} is set in plain text; use ${key}_FILE and a secret`);
        expect(String(value), `${name} ${key}`).not.toMatch(/:\/\/[^/\s:@]*:[^@\s]+@/);
      }
    }
    expect(composeText).not.toMatch(/-----BEGIN/);

    // docker compose itself, where the plugin runs without an engine.
    const plugin = run('docker', ['compose', 'version']);
    if (plugin.status === 0) {
      const config = run('docker', ['compose', '-f', DEPLOY.compose, 'config', '-q'], { cwd: repoPath() });
      expect(config.status, config.stderr).toBe(0);
    }
  });

  it('has a generator that creates every secret compose mounts, never overwriting one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chat-secrets-'));
    try {
      const first = run('sh', [DEPLOY.generateSecrets], { env: { ...process.env, SECRETS_DIR: dir } });
      expect(first.status, first.stderr).toBe(0);
      const compose = readYaml(DEPLOY.compose);
      for (const secret of Object.values(compose.secrets as Record<string, { file: string }>)) {
        expect(existsSync(join(dir, secret.file.replace('./deploy/secrets/', ''))), secret.file).toBe(true);
      }
      const access = readFileSync(join(dir, 'jwt_access_secret'), 'utf8').trim();
      const refresh = readFileSync(join(dir, 'jwt_refresh_secret'), 'utf8').trim();
      expect(access.length).toBeGreaterThanOrEqual(32);
      expect(refresh).not.toBe(access);
      expect(readFileSync(join(dir, 'postgres_password'), 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      const again = run('sh', [DEPLOY.generateSecrets], { env: { ...process.env, SECRETS_DIR: dir } });
      expect(again.stdout).not.toContain('created');
      expect(readFileSync(join(dir, 'jwt_access_secret'), 'utf8').trim()).toBe(access);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has an entrypoint that turns secret files into the variables the server reads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chat-entrypoint-'));
    try {
      const write = (name: string, value: string) => {
        const file = join(dir, name);
        writeFileSync(file, value);
        return file;
      };
      const env = {
        PATH: process.env.PATH ?? '',
        JWT_ACCESS_SECRET_FILE: write('access', `${TEST_SECRETS.JWT_ACCESS_SECRET}\n`),
        DATABASE_PASSWORD_FILE: write('pg', 'c0ffee\n'),
        DATABASE_HOST: 'postgres',
        REDIS_PASSWORD_FILE: write('redis', 'r3d1s'),
      };
      const printEnv = [process.execPath, '-e', 'console.log(JSON.stringify(process.env))'];
      const result = run('sh', [DEPLOY.entrypoint, ...printEnv], { env });
      expect(result.status, result.stderr).toBe(0);
      const seen = JSON.parse(result.stdout);
      expect(seen).toMatchObject({
        JWT_ACCESS_SECRET: TEST_SECRETS.JWT_ACCESS_SECRET,
        DATABASE_URL: 'postgres://chat:c0ffee@postgres:5432/chat',
        REDIS_URL: 'redis://:r3d1s@redis:6379',
      });
      expect(Object.keys(seen).filter((key) => key.endsWith('_FILE'))).toEqual([]);

      const unsafe = run('sh', [DEPLOY.entrypoint, ...printEnv], { env: { ...env, DATABASE_PASSWORD_FILE: write('bad', 'p@ss/word') } });
      expect(unsafe.status).toBe(78);
      expect(unsafe.stderr).toContain('URL-safe');
      const missing = run('sh', [DEPLOY.entrypoint, ...printEnv], { env: { ...env, JWT_ACCESS_SECRET_FILE: join(dir, 'nope') } });
      expect(missing.status).toBe(78);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has a Dockerfile that builds with bun and runs slim, non-root, with a readiness healthcheck', () => {
    const dockerfile = readText(DEPLOY.dockerfile);
    expect(dockerfile).toMatch(/^FROM node:20|^ARG NODE_IMAGE=node:20/m);
    expect(dockerfile).toContain('npm install --global bun@1');
    expect(dockerfile).toContain('bun install --frozen-lockfile');
    expect(dockerfile).toContain('node scripts/build.mjs');
    expect(dockerfile).toMatch(/bun install --frozen-lockfile --production/);
    expect(dockerfile).toMatch(/^ARG RUNTIME_IMAGE=node:20-bookworm-slim$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^EXPOSE 3000 9464$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK [\s\S]*\/health\/ready/m);
    expect(dockerfile).toContain('CMD ["node", "apps/server/dist/main.js"]');
    expect(dockerfile).not.toMatch(/JWT_[A-Z_]*SECRET\s*=|PASSWORD\s*=/);
    // A workspace missing from the manifest COPY lines would fail `bun install --frozen-lockfile`.
    for (const parent of ['apps', 'packages']) {
      for (const name of readdirSync(repoPath(parent))) {
        if (!existsSync(repoPath(parent, name, 'package.json'))) continue;
        expect(dockerfile, `${parent}/${name}/package.json`).toContain(`COPY ${parent}/${name}/package.json ${parent}/${name}/`);
      }
    }
    const ignored = readText(DEPLOY.dockerignore)
      .split('\n')
      .map((line) => line.trim());
    for (const pattern of ['**/node_modules', '**/dist', '**/.data', '.git', '**/test-results', 'bench/results']) expect(ignored).toContain(pattern);
    expect(ignored).toContain('!deploy/app');
  });

  it('provisions Grafana: the Prometheus datasource, a dashboard and the same alerts as Prometheus, on metrics the server has', () => {
    const datasource = readYaml(DEPLOY.grafanaDatasource).datasources[0];
    expect(datasource).toMatchObject({ type: 'prometheus', uid: 'prometheus', url: 'http://prometheus:9090' });
    const provider = readYaml(DEPLOY.grafanaDashboardProvider).providers[0];
    expect(provider.options.path).toBe('/etc/grafana/dashboards');

    const dashboard = JSON.parse(readText(DEPLOY.grafanaDashboard));
    const panels = (dashboard.panels as Document[]).filter((panel) => panel.type !== 'row');
    expect(new Set(dashboard.panels.map((panel: Document) => panel.id)).size).toBe(dashboard.panels.length);
    for (const panel of panels) {
      expect(panel.datasource?.uid, panel.title).toBe('prometheus');
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
    }
    const exprs = dashboardExpressions(dashboard).join('\n');
    for (const metric of [
      'chat_messages_sent_total',
      'chat_message_send_ack_seconds_bucket',
      'chat_http_request_duration_seconds_bucket',
      'chat_sockets_connected',
      'chat_db_pool_connections',
      'chat_redis_up',
      'chat_receipt_flush_duration_seconds',
      'chat_presence_transitions_total',
    ]) {
      expect(exprs).toContain(metric);
    }
    for (const quantile of ['0.5', '0.95', '0.99'])
      expect(exprs).toContain(`histogram_quantile(${quantile}, sum by (le) (rate(chat_message_send_ack_seconds_bucket`);
    expect(exprs).toMatch(/sum by \(le, route\) \(rate\(chat_http_request_duration_seconds_bucket/);
    expect(exprs).toMatch(/status=~"5\.\."/);

    // Grafana rules mirror the Prometheus rules one to one.
    const grafana = grafanaRules();
    const prometheus = prometheusRules();
    expect(grafana.map((rule) => rule.title).sort()).toEqual(prometheus.map((rule) => rule.alert).sort());
    expect(new Set(grafana.map((rule) => rule.uid)).size).toBe(grafana.length);
    for (const rule of grafana) {
      const twin = prometheus.find((candidate) => candidate.alert === rule.title);
      expect(rule.for, rule.title).toBe(twin.for);
      expect(rule.labels.severity, rule.title).toBe(twin.labels.severity);
      const refIds = rule.data.map((query: Document) => query.refId);
      expect(refIds, rule.title).toContain(rule.condition);
      for (const query of rule.data) expect(['prometheus', '__expr__'], rule.title).toContain(query.datasourceUid);
    }

    // Only metrics metrics.service.ts declares, or prom-client's defaults under its prefix (those are
    // checked against a live node's /metrics in the topology tests below).
    const { names, defaultPrefix } = declaredMetrics();
    expect(defaultPrefix).toBe('chat_');
    for (const name of referencedMetrics()) {
      const isDefault = /^chat_(process|nodejs)_/.test(name);
      expect(names.has(name) || isDefault, `${name} is not a metric of metrics.service.ts`).toBe(true);
    }
  });

  it('renders nginx.conf for this machine and nginx -t accepts it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chat-nginx-check-'));
    try {
      const cert = makeCertificate(dir);
      expect(() =>
        writeNginxConf({ dir, httpPort: 18080, httpsPort: 18443, appPorts: [13001, 13002], certFile: cert.certFile, keyFile: cert.keyFile }),
      ).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the compose topology on this machine: nginx (TLS) -> two nodes -> PostgreSQL + Redis', () => {
  let infra: TestInfra;
  let dir: string;
  let cert: Certificate;
  let nginx: NginxProcess | undefined;
  let nodes: ServerProcess[] = [];
  let httpPort: number;
  let httpsPort: number;
  let httpsBase: string;
  const clients: FailoverClient[] = [];
  const sockets: ClientSocket[] = [];

  /** supertest through nginx over HTTPS, trusting the test certificate (TLS stays verified). */
  const https = () => request.agent(httpsBase).ca(cert.pem);
  const nodeMetrics = async (node: ServerProcess) => (await fetch(`${node.metricsUrl}/metrics`)).text();
  const socketsOn = async (node: ServerProcess) => sampleValue(await nodeMetrics(node), 'chat_sockets_connected') ?? 0;
  const until = async (what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(25);
    }
  };

  let alice: SignedIn;
  let bob: SignedIn;
  let conversationId: string;
  /** The node nginx put alice's socket on, and the other one, where bob connects directly. */
  let aliceNode: ServerProcess;
  let bobNode: ServerProcess;

  beforeAll(async () => {
    requireTool('nginx', 'nginx', ['/usr/sbin/nginx']);
    requireTool('openssl', 'openssl');
    dir = mkdtempSync(join(tmpdir(), 'chat-topology-'));
    infra = await createTestInfra('postgres');
    cert = makeCertificate(dir);
    const env = nodeEnvironment({
      infraEnv: infra.env,
      secrets: TEST_SECRETS,
      secretsDir: dir,
      // Messages flow fast in this test; registrations are limited so the X-Forwarded-For rule shows.
      overrides: { LOG_LEVEL: 'warn', MESSAGE_RATE_LIMIT: '100000', REGISTER_RATE_LIMIT: '4' },
    });
    nodes = [spawnAppNode(env, await freePort(), await freePort()), spawnAppNode(env, await freePort(), await freePort())];
    await Promise.all(nodes.map((node) => waitUntilReady(node)));

    [httpPort, httpsPort] = [await freePort(), await freePort()];
    httpsBase = `https://127.0.0.1:${httpsPort}`;
    nginx = startNginx({ dir, httpPort, httpsPort, appPorts: nodes.map((node) => node.port), certFile: cert.certFile, keyFile: cert.keyFile });
    await until('nginx to serve /health/ready over HTTPS', async () => {
      if (nginx!.child.exitCode !== null) throw new Error(`nginx exited:\n${nginx!.output()}`);
      return (
        (
          await https()
            .get('/health/ready')
            .catch(() => undefined)
        )?.status === 200
      );
    });
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    for (const socket of sockets) socket.close();
    await nginx?.stop();
    await Promise.all(nodes.map((node) => node.stop('SIGKILL')));
    await infra?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves readiness over HTTPS, redirects HTTP to HTTPS, and keeps /metrics off the public side', async () => {
    const ready = await https().get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ready');
    // One HSTS header, nginx's (the node's own is hidden behind it), and the node's other security headers pass through.
    expect(ready.headers['strict-transport-security']).toBe('max-age=15552000');
    expect(ready.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(ready.headers['x-content-type-options']).toBe('nosniff');
    expect(ready.headers.server).toBe('nginx');

    const plain = await fetch(`http://127.0.0.1:${httpPort}/health/ready`, { redirect: 'manual' });
    expect(plain.status).toBe(301);
    expect(plain.headers.get('location')).toBe(`${httpsBase}/health/ready`);

    // Prometheus scrapes each node's METRICS_PORT; the public port has no /metrics, and nginx refuses it anyway.
    for (const path of ['/metrics', '/metrics/', '/METRICS', '/Metrics?format=text', '//metrics']) expect((await https().get(path)).status, path).toBe(403);
    expect((await fetch(`${nodes[0].baseUrl}/metrics`)).status).toBe(404);
    const direct = await fetch(`${nodes[0].metricsUrl}/metrics`);
    expect(direct.status).toBe(200);

    // The API docs and the web app (when built) are served through it too.
    expect((await https().get('/api/docs-json')).status).toBe(200);
    if (existsSync(repoPath('apps/web/dist/index.html'))) {
      const page = await https().get('/login').set('Accept', 'text/html');
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
    }
  });

  it('exports every metric the dashboard and the alert rules query', async () => {
    const exposed = exposedMetrics(await nodeMetrics(nodes[0]));
    const missing = referencedMetrics().filter((name) => !exposed.has(name));
    expect(missing).toEqual([]);
  });

  it('forwards the scheme and the client address: Secure cookies, and rate limits a client cannot dodge', async () => {
    alice = await registerThrough(https);
    bob = await registerThrough(https);
    // X-Forwarded-Proto: https reached the node, so COOKIE_SECURE=auto marked the cookie Secure.
    const login = await https().post('/api/auth/login').send({ email: alice.input.email, password: alice.input.password });
    expect(login.status).toBe(200);
    expect(String(login.headers['set-cookie'])).toMatch(/refresh_token=[^;]+;.*Secure/i);

    // REGISTER_RATE_LIMIT=4 per client address. nginx replaces a client's X-Forwarded-For with the
    // address it sees, so forging one does not buy a fresh budget.
    const forged = async (ip: string) =>
      (
        await https()
          .post('/api/auth/register')
          .set('X-Forwarded-For', ip)
          .send({ email: `forged-${randomUUID()}@example.com`, password: 'long enough pw', displayName: 'Forged' })
      ).status;
    expect(await forged('203.0.113.10')).toBe(201);
    expect(await forged('198.51.100.20')).toBe(201);
    expect(await forged('192.0.2.30')).toBe(429);

    const created = await https()
      .post('/api/conversations')
      .set(bearer(alice))
      .send({ type: 'direct', participantIds: [bob.auth.user.id] });
    expect(created.status).toBe(201);
    conversationId = created.body.id;
  });

  it('streams a file upload larger than the JSON body limit through nginx to a node', async () => {
    // nginx's default body limit here is 2 MB; uploads have their own, in step with MAX_UPLOAD_BYTES.
    const body = randomBytes(5 * 1024 * 1024);
    const res = await https().post('/api/files').set(bearer(alice)).attach('file', body, 'capture.bin');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ name: 'capture.bin', size: body.length, mimeType: 'application/octet-stream' });
  });

  it('accepts a same-origin browser handshake over wss and refuses a foreign origin', async () => {
    const handshake = (origin: string) =>
      new Promise<'authenticated' | 'refused'>((resolve) => {
        const socket = io(`${httpsBase}/chat`, {
          auth: { token: alice.auth.accessToken },
          transports: ['websocket'],
          reconnection: false,
          forceNew: true,
          ca: cert.pem,
          extraHeaders: { Origin: origin },
        }) as ClientSocket;
        sockets.push(socket);
        const timer = setTimeout(() => resolve('refused'), 5_000);
        socket.once('auth:success', () => (clearTimeout(timer), socket.close(), resolve('authenticated')));
        socket.once('connect_error', () => (clearTimeout(timer), socket.close(), resolve('refused')));
      });
    expect(await handshake(httpsBase)).toBe('authenticated');
    expect(await handshake('https://evil.example')).toBe('refused');
    await until('the test sockets to be gone', async () => (await Promise.all(nodes.map(socketsOn))).every((count) => count === 0));
  });

  it('delivers a message sent over wss through nginx to a socket on the other node', async () => {
    const a = await new FailoverClient('alice (wss via nginx)', httpsBase, alice.auth.accessToken, conversationId, { ca: cert.pem }).connect();
    clients.push(a);
    // Which node did nginx pick? The one whose socket count went up.
    await until('alice to be counted on a node', async () => (await Promise.all(nodes.map(socketsOn))).some((count) => count === 1));
    const counts = await Promise.all(nodes.map(socketsOn));
    aliceNode = nodes[counts.indexOf(1)]!;
    bobNode = nodes[counts.indexOf(0)]!;
    const b = await new FailoverClient('bob (direct to the other node)', bobNode.baseUrl, bob.auth.accessToken, conversationId).connect();
    clients.push(b);

    const ack = await emitWithAck(a.socket, 'message:send', { conversationId, content: 'through nginx, across nodes', clientMessageId: randomUUID() });
    expect(ack.ok).toBe(true);
    await until('bob to receive it', () => b.received.has(ack.messageId), 5_000);
    expect(b.received.get(ack.messageId)!.content).toBe('through nginx, across nodes');

    const reply = await emitWithAck(b.socket, 'message:send', { conversationId, content: 'and back', clientMessageId: randomUUID() });
    await until('alice to receive the reply', () => a.received.has(reply.messageId), 5_000);
  });

  it('moves the clients of a SIGTERMed node to the other one through nginx, losing and duplicating nothing', async () => {
    const [a, b] = clients as [FailoverClient, FailoverClient];
    const [victim, survivor] = [aliceNode, bobNode];
    expect(await socketsOn(victim)).toBe(1);
    expect(await socketsOn(survivor)).toBe(1);
    const ackedBefore = a.acked.size + b.acked.size;

    let stop = false;
    const loops = [a, b].map(async (client) => {
      for (let n = 0; !stop && n < 2_000; n++) await client.sendNext(`${client.name} #${n}`);
    });
    try {
      await until('both clients to be sending', () => a.acked.size >= 15 && b.acked.size >= 15, 10_000);
      const sigterm = Date.now();
      victim.child.kill('SIGTERM');
      const code = await Promise.race([victim.exited, sleep(12_000).then(() => 'still running')]);
      const took = Date.now() - sigterm;
      expect(code, victim.output()).toBe(0);
      expect(took).toBeLessThan(10_000);

      // Alice reconnects through nginx (which now skips the stopped node) and carries on.
      const ackedAtExit = a.acked.size;
      await until('alice to reconnect through nginx', () => a.sessions >= 2 && a.isAuthenticated, 15_000).catch((error: Error) => {
        throw new Error(`${error.message}\n${a.name}:\n${a.log.join('\n')}\nnginx:\n${nginx!.output().slice(-4_000)}`);
      });
      await until('alice to send more after reconnecting', () => a.acked.size >= ackedAtExit + 15, 15_000);
    } finally {
      stop = true;
      await Promise.all(loops);
    }
    await Promise.all([a.settle(), b.settle()]);
    expect(await socketsOn(survivor)).toBe(2);
    expect(a.acked.size + b.acked.size).toBeGreaterThanOrEqual(ackedBefore + 45);

    // nginx routes around the stopped node.
    for (let i = 0; i < 4; i++) expect((await https().get('/health/ready')).status).toBe(200);

    const db = new Client({ connectionString: infra.databaseUrl });
    await db.connect();
    let rows: Array<{ id: string; seq: string; sender_id: string; client_message_id: string }>;
    try {
      rows = (await db.query('select id, seq, sender_id, client_message_id from messages where conversation_id = $1 order by seq', [conversationId])).rows;
    } finally {
      await db.end();
    }
    // Gapless seqs, each (sender, clientMessageId) once, every acknowledged message stored.
    expect(rows.map((row) => Number(row.seq))).toEqual(rows.map((_, i) => i + 1));
    expect(new Set(rows.map((row) => `${row.sender_id}:${row.client_message_id}`)).size).toBe(rows.length);
    const stored = new Map(rows.map((row) => [row.client_message_id, row.id]));
    for (const client of [a, b]) {
      for (const [clientMessageId, messageId] of client.acked) expect(stored.get(clientMessageId), `${client.name} ${clientMessageId}`).toBe(messageId);
    }
    // The two messages of the previous test were sent without a FailoverClient.
    expect(rows.length).toBe(a.acked.size + b.acked.size + 2);

    // Both catch up to exactly the database history, in order.
    for (const client of [a, b])
      expect(
        (await client.history()).map((message) => message.id),
        client.name,
      ).toEqual(rows.map((row) => row.id));

    // And real-time delivery to alice works on her new node.
    const last = await emitWithAck(b.socket, 'message:send', { conversationId, content: 'after the failover', clientMessageId: randomUUID() });
    await until('alice to receive a message on her new node', () => a.received.has(last.messageId), 5_000);
  });
});
