import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { HealthService } from '../src/modules/health/health.service';
import { bearer, createDirect, registerUsers, type SignedIn } from './support/builders';
import { connectSocket, emitWithAck, sleep } from './support/sockets';
import { freePort } from './support/server-process';
import { useTestApp } from './support/test-app';

/** The value of one sample in Prometheus text format, or 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = match[3] ?? '';
    if (wanted.every((w) => have.includes(w))) return Number(match[4]);
  }
  return 0;
}

describe('metrics and readiness', () => {
  const t = useTestApp(async () => ({ MESSAGE_RATE_LIMIT: '3', METRICS_PORT: String(await freePort()) }));
  let alice: SignedIn;
  let bob: SignedIn;
  let conversationId: string;
  const scrape = async () => {
    const res = await request(t.metricsUrl!).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    return res.text;
  };

  beforeAll(async () => {
    [alice, bob] = await registerUsers(t, 2);
    conversationId = (await createDirect(t, alice, bob)).id;
  });

  it('serves /metrics only on METRICS_PORT: not on the public port, not in Swagger', async () => {
    for (const path of ['/metrics', '/api/metrics']) {
      const res = await t.http().get(path).set('Accept', 'text/plain');
      expect(res.status, path).toBe(404);
      expect(res.text, path).not.toContain('# TYPE');
    }
    const docs = await t.http().get('/api/docs-json');
    expect(Object.keys(docs.body.paths).filter((path) => path.includes('metrics'))).toEqual([]);
    // Only GET /metrics on the metrics port; nothing else of the app is there.
    expect((await request(t.metricsUrl!).get('/api/auth/me')).status).toBe(404);
    expect((await request(t.metricsUrl!).get('/health/ready')).status).toBe(404);
  });

  it('exposes every metric family with its labels', async () => {
    const text = await scrape();
    for (const name of [
      'chat_http_request_duration_seconds',
      'chat_sockets_connected',
      'chat_messages_sent_total',
      'chat_messages_delivered_total',
      'chat_message_send_ack_seconds',
      'chat_socket_errors_total',
      'chat_rate_limit_hits_total',
      'chat_receipt_flush_reads',
      'chat_receipt_flush_duration_seconds',
      'chat_presence_transitions_total',
      'chat_db_pool_connections',
      'chat_redis_up',
      'chat_process_cpu_seconds_total',
      'chat_nodejs_heap_size_used_bytes',
    ]) {
      expect(text, name).toContain(`# TYPE ${name} `);
    }
    expect(sample(text, 'chat_redis_up')).toBe(1);
    expect(sample(text, 'chat_db_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(1);
  });

  it('moves when messages are sent, delivered, refused and acked', async () => {
    const before = await scrape();
    const sender = await connectSocket(t.baseUrl, alice.auth.accessToken);
    const receiver = await connectSocket(t.baseUrl, bob.auth.accessToken);
    await sleep(100);
    const during = await scrape();
    expect(sample(during, 'chat_sockets_connected') - sample(before, 'chat_sockets_connected')).toBe(2);

    expect((await emitWithAck(sender, 'message:send', { conversationId, content: 'one', clientMessageId: randomUUID() })).ok).toBe(true);
    expect(
      (await t.http().post(`/api/conversations/${conversationId}/messages`).set(bearer(alice)).send({ content: 'two', clientMessageId: randomUUID() })).status,
    ).toBe(201);
    await emitWithAck(sender, 'message:send', { conversationId, content: '', clientMessageId: randomUUID() });
    await emitWithAck(sender, 'message:send', { conversationId, content: 'three', clientMessageId: randomUUID() });
    await emitWithAck(sender, 'message:send', { conversationId, content: 'four (over the limit)', clientMessageId: randomUUID() });
    sender.close();
    receiver.close();
    await sleep(150);

    const after = await scrape();
    const delta = (name: string, labels?: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
    expect(delta('chat_messages_sent_total', { transport: 'socket' })).toBe(2);
    expect(delta('chat_messages_sent_total', { transport: 'http' })).toBe(1);
    expect(delta('chat_messages_delivered_total')).toBe(3);
    expect(delta('chat_message_send_ack_seconds_count')).toBe(2);
    expect(delta('chat_socket_errors_total', { event: 'message:send', code: 'VALIDATION_ERROR' })).toBe(1);
    expect(delta('chat_socket_errors_total', { event: 'message:send', code: 'RATE_LIMITED' })).toBe(1);
    expect(delta('chat_rate_limit_hits_total', { rule: 'message' })).toBe(1);
    expect(delta('chat_http_request_duration_seconds_count', { route: '/api/conversations/:id/messages', status: '201' })).toBe(1);
    expect(sample(after, 'chat_sockets_connected')).toBe(sample(before, 'chat_sockets_connected'));
  });

  it('reports not ready once shutdown begins, while staying alive', async () => {
    expect((await t.http().get('/health/ready')).status).toBe(200);
    t.app.get(HealthService).markShuttingDown();
    const ready = await t.http().get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'not_ready', checks: { shutdown: 'error' } });
    expect((await t.http().get('/health/live')).status).toBe(200);
  });
});
