import { randomUUID } from 'node:crypto';
import { type Message, messagePageSchema } from '@chat/shared';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createGroup, registerUsers, type SignedIn } from './support/builders';
import { type ClientSocket, connectSocket, emitWithAck } from './support/sockets';
import { startTestCluster } from './support/test-app';

type Cluster = Awaited<ReturnType<typeof startTestCluster>>;

/** A client as the web app keeps it: messages by id from live events, acks and catch-up. */
class ClientState {
  readonly messages = new Map<string, Message>();
  socket?: ClientSocket;
  syncedAt?: string;
  lastSent?: { clientMessageId: string; content: string; messageId: string };

  constructor(
    readonly user: SignedIn,
    readonly conversationId: string,
  ) {}

  private apply(message: Message) {
    const known = this.messages.get(message.id);
    if (!known || Date.parse(message.updatedAt) >= Date.parse(known.updatedAt)) this.messages.set(message.id, message);
  }

  async connect(baseUrl: string) {
    const socket = await connectSocket(baseUrl, this.user.auth.accessToken);
    socket.on('message:received', ({ message }) => message.conversationId === this.conversationId && this.apply(message));
    socket.on('message:updated', ({ message }) => message.conversationId === this.conversationId && this.apply(message));
    socket.on('message:deleted', ({ messageId, deletedAt }) => {
      const known = this.messages.get(messageId);
      if (known) this.messages.set(messageId, { ...known, content: '', deletedAt, updatedAt: deletedAt });
    });
    this.socket = socket;
    await this.catchUp();
  }

  disconnect() {
    this.socket?.close();
    this.socket = undefined;
  }

  async catchUp() {
    let afterSeq = Math.max(0, ...[...this.messages.values()].map((m) => m.seq));
    for (;;) {
      const result = await emitWithAck(this.socket!, 'sync', {
        conversations: [{ conversationId: this.conversationId, afterSeq, updatedSince: this.syncedAt }],
      });
      const page = result.conversations[0];
      for (const message of [...page.messages, ...page.updates]) this.apply(message);
      this.syncedAt ??= page.syncedAt;
      if (!page.hasMore) {
        this.syncedAt = page.syncedAt;
        return;
      }
      afterSeq = page.messages.at(-1).seq;
    }
  }

  async send(content: string, clientMessageId: string = randomUUID()) {
    const ack = await emitWithAck(this.socket!, 'message:send', { conversationId: this.conversationId, content, clientMessageId });
    expect(ack.ok).toBe(true);
    this.apply(ack.message);
    this.lastSent = { clientMessageId, content, messageId: ack.messageId };
    return ack;
  }

  view() {
    return [...this.messages.values()].sort((a, b) => a.seq - b.seq).map((m) => ({ id: m.id, seq: m.seq, content: m.content, deleted: m.deletedAt !== null }));
  }
}

interface Model {
  sent: number;
}
interface Real {
  cluster: Cluster;
  clients: ClientState[];
}

const node = (real: Real, i: number) => real.cluster.nodes[i % real.cluster.nodes.length];

/** A step of one client (`who`), always applicable; it prints as `name(who)` in a counterexample. */
abstract class ClientCommand implements fc.AsyncCommand<Model, Real> {
  protected abstract readonly name: string;
  constructor(readonly who: number) {}
  check() {
    return true;
  }
  abstract run(model: Model, real: Real): Promise<void>;
  toString() {
    return `${this.name}(${this.who})`;
  }
}

class SendCommand extends ClientCommand {
  protected readonly name = 'send';
  async run(model: Model, real: Real) {
    const client = real.clients[this.who];
    if (!client.socket) await client.connect(node(real, this.who).baseUrl);
    await client.send(`m${model.sent++} from ${this.who}`);
  }
}

class RetryCommand extends ClientCommand {
  protected readonly name = 'retry';
  async run(_model: Model, real: Real) {
    const client = real.clients[this.who];
    if (!client.lastSent) return;
    if (!client.socket) await client.connect(node(real, this.who + 1).baseUrl);
    const previous = client.lastSent;
    const ack = await client.send(previous.content, previous.clientMessageId);
    expect(ack.messageId).toBe(previous.messageId);
    expect(ack.duplicate).toBe(true);
  }
}

class DisconnectCommand extends ClientCommand {
  protected readonly name = 'disconnect';
  async run(_model: Model, real: Real) {
    real.clients[this.who].disconnect();
  }
}

class ReconnectCommand extends ClientCommand {
  protected readonly name = 'reconnect';
  constructor(
    who: number,
    readonly to: number,
  ) {
    super(who);
  }
  async run(_model: Model, real: Real) {
    const client = real.clients[this.who];
    client.disconnect();
    await client.connect(node(real, this.to).baseUrl);
  }
  override toString() {
    return `reconnect(${this.who} -> node ${this.to})`;
  }
}

class EditCommand extends ClientCommand {
  protected readonly name = 'edit';
  async run(_model: Model, real: Real) {
    const client = real.clients[this.who];
    if (!client.lastSent) return;
    const res = await node(real, this.who)
      .http()
      .patch(`/api/conversations/${client.conversationId}/messages/${client.lastSent.messageId}`)
      .set(bearer(client.user))
      .send({ content: `${client.lastSent.content} (edited)` });
    expect([200, 404]).toContain(res.status);
  }
}

class DeleteCommand extends ClientCommand {
  protected readonly name = 'delete';
  async run(_model: Model, real: Real) {
    const client = real.clients[this.who];
    if (!client.lastSent) return;
    const res = await node(real, this.who + 1)
      .http()
      .delete(`/api/conversations/${client.conversationId}/messages/${client.lastSent.messageId}`)
      .set(bearer(client.user));
    expect([204, 404]).toContain(res.status);
  }
}

describe('model-based: send / retry / disconnect / reconnect / edit / delete across two nodes', () => {
  let cluster: Cluster;
  let users: SignedIn[];
  let runs = 0;
  let commandsRun = 0;

  beforeAll(async () => {
    cluster = await startTestCluster(2, { MESSAGE_RATE_LIMIT: '100000' });
    users = await registerUsers(cluster.nodes[0], 3);
  });
  afterAll(() => cluster?.close());

  it('leaves every client with exactly the history a fresh fetch returns', async () => {
    const who = fc.integer({ min: 0, max: 2 });
    const commands = fc.commands(
      [
        who.map((w) => new SendCommand(w)),
        who.map((w) => new SendCommand(w)),
        who.map((w) => new RetryCommand(w)),
        who.map((w) => new DisconnectCommand(w)),
        fc.tuple(who, fc.integer({ min: 0, max: 1 })).map(([w, n]) => new ReconnectCommand(w, n)),
        who.map((w) => new EditCommand(w)),
        who.map((w) => new DeleteCommand(w)),
      ],
      { maxCommands: 25 },
    );
    await fc.assert(
      fc.asyncProperty(commands, async (cmds) => {
        runs++;
        const created = await createGroup(cluster.nodes[0], users[0], [users[1], users[2]], { title: `Model ${runs}` });
        const clients = users.map((u) => new ClientState(u, created.id));
        const real: Real = { cluster, clients };
        try {
          await Promise.all(clients.map((c, i) => c.connect(node(real, i).baseUrl)));
          await fc.asyncModelRun(() => ({ model: { sent: 0 }, real }), cmds);
          commandsRun += [...cmds].length;

          // Quiesce, reconnect everyone, catch up; then compare with the server's own history.
          for (const client of clients) {
            if (!client.socket) await client.connect(node(real, 0).baseUrl);
            await client.catchUp();
          }
          const history: Message[] = [];
          let afterSeq = 0;
          for (;;) {
            const page = messagePageSchema.parse(
              (await cluster.nodes[1].http().get(`/api/conversations/${created.id}/messages?afterSeq=${afterSeq}&limit=100`).set(bearer(users[0]))).body,
            );
            history.push(...page.messages);
            if (!page.hasMore) break;
            afterSeq = page.messages.at(-1)!.seq;
          }
          const expected = history.map((m) => ({ id: m.id, seq: m.seq, content: m.content, deleted: m.deletedAt !== null }));
          expect(expected.map((m) => m.seq)).toEqual(expected.map((_, i) => i + 1));
          for (const client of clients) expect(client.view()).toEqual(expected);
        } finally {
          clients.forEach((c) => c.disconnect());
        }
      }),
      { numRuns: 12 },
    );
    expect(runs).toBeGreaterThanOrEqual(12);
    // The generator may produce short command lists; make sure the runs did real work overall.
    expect(commandsRun).toBeGreaterThanOrEqual(15);
  }, 180_000);
});
