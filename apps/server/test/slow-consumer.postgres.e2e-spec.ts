import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroup, registerUsers } from './support/builders';
import { createTestInfra, type TestInfra } from './support/infra';
import { freePort, type ServerProcess, spawnServer, waitUntilReady } from './support/server-process';
import { type ClientSocket, collect, connectSocket, emitWithAck, sleep, syncHistory } from './support/sockets';
import { TEST_SECRETS } from './support/test-app';

const rss = async (metricsUrl: string | null) => {
  const text = await (await fetch(`${metricsUrl}/metrics`)).text();
  return Number(/^chat_process_resident_memory_bytes (\S+)$/m.exec(text)![1]);
};

/** Stops reading from the TCP socket under a socket.io client, as a frozen or throttled device would. */
const tcpOf = (socket: ClientSocket) =>
  (socket.io.engine?.transport as unknown as { ws?: { _socket?: { pause(): void; resume(): void } } } | undefined)?.ws?._socket;

describe('a slow consumer', () => {
  let infra: TestInfra;
  let node: ServerProcess;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    infra = await createTestInfra('postgres');
    node = spawnServer({ ...infra.env, ...TEST_SECRETS, NODE_ENV: 'production', MESSAGE_RATE_LIMIT: '1000000' }, await freePort(), await freePort());
    await waitUntilReady(node);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await node?.stop('SIGKILL');
    await infra?.dispose();
  });

  it('cannot grow server memory without bound or slow the others down, and still gets everything after reconnecting', async () => {
    const [sender, slow, normal] = await registerUsers(node, 3);
    const id = (await createGroup(node, sender, [slow, normal], { title: 'Firehose' })).id;
    const senderSocket = await connectSocket(node.baseUrl, sender.auth.accessToken);
    const slowSocket = await connectSocket(node.baseUrl, slow.auth.accessToken);
    const normalSocket = await connectSocket(node.baseUrl, normal.auth.accessToken);
    sockets.push(senderSocket, slowSocket, normalSocket);
    // Like real clients: heartbeats keep the sockets from being dropped as silent during the long run.
    const beats = [senderSocket, normalSocket, slowSocket].map((s) => setInterval(() => s.emit('presence:heartbeat', { status: 'online' }), 5_000));
    const normalGot = collect(normalSocket, 'message:received');
    let slowDisconnected = false;
    slowSocket.on('disconnect', () => (slowDisconnected = true));

    const rssBefore = await rss(node.metricsUrl);
    tcpOf(slowSocket)!.pause();
    const total = 10_000;
    const padding = 'x'.repeat(400);
    for (let batch = 0; batch < total / 100; batch++) {
      const acks = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          emitWithAck(senderSocket, 'message:send', { conversationId: id, content: `${batch * 100 + i} ${padding}`, clientMessageId: randomUUID() }, 20_000),
        ),
      );
      expect(acks.every((a) => a.ok)).toBe(true);
    }
    await normalGot.waitFor(total, 30_000).catch((error) => {
      throw new Error(
        `${error.message}\n${node
          .output()
          .split('\n')
          .filter((l) => l.includes('slow consumer'))
          .join('\n')}`,
      );
    });
    const rssAfter = await rss(node.metricsUrl);

    // The reader who keeps up got every message once (concurrent sends may arrive out of seq order; clients sort by seq).
    const seqs = normalGot.items.map((m) => m.message.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    // ~5 MB of output was meant for the frozen socket; the node holds at most its cut-off.
    expect(rssAfter - rssBefore).toBeLessThan(150 * 1024 * 1024);

    // The server may have cut the frozen socket loose already; then there is nothing to resume.
    tcpOf(slowSocket)?.resume();
    beats.forEach(clearInterval);
    await sleep(500);
    // Whether it was cut loose or kept up, catch-up gives it the full history.
    const fresh = slowDisconnected ? await connectSocket(node.baseUrl, slow.auth.accessToken) : slowSocket;
    if (fresh !== slowSocket) sockets.push(fresh);
    expect((await syncHistory(fresh, id)).length).toBe(total);
  }, 120_000);
});
