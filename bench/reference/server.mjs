// A bare reference server: the yardstick the messaging benchmark holds the product against.
// socket.io 4 on /chat with the product's Redis Streams adapter, pg, and nothing else. It speaks
// only the benchmark's subset of the contract (docs/websocket-protocol.md):
//   POST /api/auth/register, POST /api/auth/login, POST /api/conversations (direct and group),
//   the handshake with auth: { token } -> auth:success, message:send (one transaction, acked after
//   commit, message:received to the room), receipt:read (one row), presence:heartbeat, and
//   presence:subscribe / presence:unsubscribe (answered; it keeps no presence, so everyone is offline).
// Not a product: tokens live in this process, the password hash is cheap, validation is minimal.
//
// Env: PORT, HOST (127.0.0.1), DATABASE_URL, REDIS_URL, REDIS_KEY_PREFIX, DATABASE_POOL_SIZE (20),
// MESSAGE_RATE_LIMIT (messages per minute per user on this node, 30).
import { createAdapter } from '@socket.io/redis-streams-adapter';
import Redis from 'ioredis';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import pg from 'pg';
import { Server } from 'socket.io';

const env = process.env;
const RATE_LIMIT = Number(env.MESSAGE_RATE_LIMIT ?? 30);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const db = new pg.Pool({ connectionString: env.DATABASE_URL, max: Number(env.DATABASE_POOL_SIZE ?? 20) });
const redis = new Redis(env.REDIS_URL ?? 'redis://127.0.0.1:6379', { keyPrefix: env.REDIS_KEY_PREFIX ?? 'reference:' });

await db.query(`
  create table if not exists users (
    id uuid primary key, email text not null unique, display_name text not null,
    password_salt text not null, password_hash text not null, created_at timestamptz not null default now());
  create table if not exists conversations (
    id uuid primary key, type text not null, title text, last_seq bigint not null default 0,
    last_activity_at timestamptz not null default now());
  create table if not exists participants (
    conversation_id uuid not null references conversations, user_id uuid not null references users,
    last_read_seq bigint not null default 0, primary key (conversation_id, user_id));
  create index if not exists participants_user on participants (user_id);
  create table if not exists messages (
    id uuid primary key, conversation_id uuid not null references conversations, seq bigint not null,
    sender_id uuid not null references users, client_message_id uuid not null, content text not null,
    created_at timestamptz not null default now(),
    unique (conversation_id, seq), unique (sender_id, client_message_id));
`);

/** token -> user; a restart signs everyone out, which a yardstick can afford. */
const sessions = new Map();

const hashPassword = (password, salt) => createHash('sha256').update(salt).update(password).digest('hex');

function signIn(user) {
  const token = randomBytes(24).toString('base64url');
  sessions.set(token, { id: user.id, displayName: user.display_name });
  return { accessToken: token, expiresIn: 3600, user: { id: user.id, email: user.email, displayName: user.display_name } };
}

const routes = {
  async 'GET /health/ready'() {
    await db.query('select 1');
    return [200, { status: 'ok' }];
  },

  async 'POST /api/auth/register'({ email, password, displayName }) {
    if (typeof email !== 'string' || typeof password !== 'string' || password.length < 8 || typeof displayName !== 'string')
      return [400, 'email, password (8+) and displayName are required'];
    const salt = randomBytes(16).toString('hex');
    const { rows } = await db.query(
      `insert into users (id, email, display_name, password_salt, password_hash) values ($1, $2, $3, $4, $5)
       on conflict (email) do nothing returning id, email, display_name`,
      [randomUUID(), email.trim().toLowerCase(), displayName, salt, hashPassword(password, salt)],
    );
    return rows.length ? [201, signIn(rows[0])] : [409, 'Email already registered'];
  },

  async 'POST /api/auth/login'({ email, password }) {
    const { rows } = await db.query('select * from users where email = $1', [String(email).trim().toLowerCase()]);
    const user = rows[0];
    if (!user || hashPassword(String(password), user.password_salt) !== user.password_hash) return [401, 'Invalid email or password'];
    return [200, signIn(user)];
  },

  async 'POST /api/conversations'({ type, title, participantIds }, me) {
    if (!me) return [401, 'Unauthorized'];
    const others = Array.isArray(participantIds) ? [...new Set(participantIds)].filter((id) => id !== me.id) : [];
    if (!['direct', 'group'].includes(type) || others.length === 0 || !others.every((id) => UUID.test(id)))
      return [400, 'type and participantIds are required'];
    if (type === 'direct' && others.length !== 1) return [400, 'A direct conversation has exactly one other person'];
    const id = randomUUID();
    const members = [me.id, ...others];
    const client = await db.connect();
    try {
      await client.query('begin');
      await client.query('insert into conversations (id, type, title) values ($1, $2, $3)', [id, type, type === 'group' ? String(title ?? 'Group') : null]);
      await client.query('insert into participants (conversation_id, user_id) select $1, unnest($2::uuid[])', [id, members]);
      await client.query('commit');
    } catch (error) {
      await client.query('rollback');
      if (error.code === '23503') return [400, 'Unknown participant'];
      throw error;
    } finally {
      client.release();
    }
    // Members online on any node start receiving the conversation at once.
    io.of('/chat')
      .in(members.map((m) => `user:${m}`))
      .socketsJoin(`conversation:${id}`);
    return [201, { id, type, title: type === 'group' ? String(title ?? 'Group') : null, participantIds: members }];
  },
};

const http = createServer(async (req, res) => {
  const reply = (status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(typeof body === 'string' ? { statusCode: status, error: body, message: body } : body));
  };
  const route = routes[`${req.method} ${req.url}`];
  if (!route) return reply(404, 'Not Found');
  try {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    let body;
    try {
      body = JSON.parse(raw || '{}');
    } catch {
      return reply(400, 'Malformed JSON');
    }
    const me = sessions.get(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]);
    reply(...(await route(body ?? {}, me)));
  } catch (error) {
    console.error(error);
    reply(500, 'Internal Server Error');
  }
});

const io = new Server(http, {
  adapter: createAdapter(redis, { streamName: 'socket.io', maxLen: 100_000, blockTimeInMs: 1_000 }),
});
const chat = io.of('/chat');

const fail = (code, error) => ({ ok: false, code, error });

/** Per-user fixed one-minute windows on this node (the product counts across nodes in Redis). */
const sentThisMinute = new Map();
setInterval(() => sentThisMinute.clear(), 60_000).unref();

chat.on('connection', async (socket) => {
  const user = sessions.get(socket.handshake.auth?.token);
  if (!user) {
    socket.emit('auth:error', { code: 'AUTH_FAILED', error: 'Invalid token' });
    socket.disconnect(true);
    return;
  }
  socket.data.user = user;

  socket.on('message:send', async (payload, ack = () => undefined) => {
    const { conversationId, content, clientMessageId } = payload ?? {};
    if (!UUID.test(conversationId) || !UUID.test(clientMessageId) || typeof content !== 'string' || !content.trim() || content.length > 4000) {
      return ack(fail('VALIDATION_ERROR', 'Invalid message'));
    }
    const count = (sentThisMinute.get(user.id) ?? 0) + 1;
    sentThisMinute.set(user.id, count);
    if (count > RATE_LIMIT) return ack({ ...fail('RATE_LIMITED', 'Too many messages'), retryAfter: 60 });
    try {
      const { row, duplicate } = await storeMessage(user.id, conversationId, clientMessageId, content);
      if (!row)
        return ack(
          duplicate ? fail('VALIDATION_ERROR', 'clientMessageId already used in another conversation') : fail('NOT_IN_CONVERSATION', 'Not a participant'),
        );
      const message = {
        id: row.id,
        conversationId,
        seq: Number(row.seq),
        senderId: user.id,
        sender: { id: user.id, displayName: user.displayName },
        content: row.content,
        contentType: 'text',
        system: null,
        clientMessageId,
        createdAt: row.created_at.toISOString(),
        updatedAt: row.created_at.toISOString(),
        editedAt: null,
        deletedAt: null,
      };
      // A retry must not deliver the message twice.
      if (!duplicate) socket.to(`conversation:${conversationId}`).emit('message:received', { message });
      ack({
        ok: true,
        clientMessageId,
        messageId: row.id,
        conversationId,
        seq: message.seq,
        status: 'delivered',
        timestamp: message.createdAt,
        duplicate,
        message,
      });
    } catch (error) {
      console.error(error);
      ack(fail('INTERNAL', 'Could not store the message'));
    }
  });

  socket.on('receipt:read', async (payload, ack = () => undefined) => {
    const { conversationId, messageId } = payload ?? {};
    if (!UUID.test(conversationId) || !UUID.test(messageId)) return ack(fail('VALIDATION_ERROR', 'Invalid receipt'));
    try {
      // Markers only move forward; one row, the reader's own. Unread, as the product counts it:
      // messages above the marker but the reader's own (a send does not move the sender's marker here).
      // As in the product, the commit does not wait for the WAL flush: a crash can lose the last
      // moves of a marker, which the client reads again; messages still commit durably.
      const { rows } = await db.query(
        `with relaxed as materialized (select set_config('synchronous_commit', 'off', true))
         update participants p set last_read_seq = greatest(p.last_read_seq, m.seq)
         from relaxed, messages m, conversations c
         where m.id = $2 and m.conversation_id = $1 and c.id = $1 and p.conversation_id = $1 and p.user_id = $3
         returning p.last_read_seq, c.last_seq - p.last_read_seq - (
           select count(*) from messages own where own.conversation_id = $1 and own.seq > p.last_read_seq and own.sender_id = $3
         ) as unread_count`,
        [conversationId, messageId, user.id],
      );
      if (!rows.length) return ack(fail('MESSAGE_NOT_FOUND', 'No such message in a conversation of yours'));
      ack({ ok: true, conversationId, lastReadSeq: Number(rows[0].last_read_seq), unreadCount: Math.max(0, Number(rows[0].unread_count)) });
    } catch (error) {
      console.error(error);
      ack(fail('INTERNAL', 'Could not store the receipt'));
    }
  });

  // Accepted and answered; the yardstick keeps no presence.
  socket.on('presence:heartbeat', (_payload, ack) => ack?.({ ok: true }));
  const watched = (payload) => {
    const userIds = payload?.userIds;
    return Array.isArray(userIds) && userIds.length >= 1 && userIds.length <= 500 && userIds.every((id) => UUID.test(id)) ? [...new Set(userIds)] : undefined;
  };
  socket.on('presence:subscribe', (payload, ack = () => undefined) => {
    const userIds = watched(payload);
    if (!userIds) return ack(fail('VALIDATION_ERROR', 'userIds: 1 to 500 user ids'));
    ack({ ok: true, presences: userIds.map((userId) => ({ userId, status: 'offline', lastActivity: null, lastSeenAt: null })) });
  });
  socket.on('presence:unsubscribe', (payload, ack = () => undefined) =>
    ack(watched(payload) ? { ok: true } : fail('VALIDATION_ERROR', 'userIds: 1 to 500 user ids')),
  );

  try {
    const { rows } = await db.query('select conversation_id from participants where user_id = $1', [user.id]);
    socket.join([`user:${user.id}`, ...rows.map((r) => `conversation:${r.conversation_id}`)]);
    socket.emit('auth:success', { userId: user.id });
  } catch (error) {
    console.error(error);
    socket.emit('auth:error', { code: 'SERVICE_UNAVAILABLE', error: 'Try again' });
    socket.disconnect(true);
  }
});

/**
 * One transaction: bump the conversation's seq (only for a participant) and insert the message,
 * committed before the caller acks. A resend of the same (sender, clientMessageId) hits the unique
 * index, rolls the bump back (so seq stays gapless) and returns the stored message as a duplicate.
 */
async function storeMessage(senderId, conversationId, clientMessageId, content) {
  const client = await db.connect();
  try {
    await client.query('begin');
    const bumped = await client.query(
      `update conversations set last_seq = last_seq + 1, last_activity_at = now()
       where id = $1 and exists (select 1 from participants where conversation_id = $1 and user_id = $2)
       returning last_seq`,
      [conversationId, senderId],
    );
    if (!bumped.rows.length) {
      await client.query('rollback');
      return { row: undefined, duplicate: false };
    }
    try {
      const { rows } = await client.query(
        `insert into messages (id, conversation_id, seq, sender_id, client_message_id, content)
         values ($1, $2, $3, $4, $5, $6) returning id, seq, content, created_at`,
        [randomUUID(), conversationId, bumped.rows[0].last_seq, senderId, clientMessageId, content],
      );
      await client.query('commit');
      return { row: rows[0], duplicate: false };
    } catch (error) {
      await client.query('rollback');
      if (error.code !== '23505') throw error;
      const { rows } = await client.query(
        'select id, seq, content, created_at from messages where sender_id = $1 and client_message_id = $2 and conversation_id = $3',
        [senderId, clientMessageId, conversationId],
      );
      return { row: rows[0], duplicate: true };
    }
  } finally {
    client.release();
  }
}

http.listen(Number(env.PORT ?? 3000), env.HOST ?? '127.0.0.1', () => console.log(`reference server on ${env.HOST ?? '127.0.0.1'}:${http.address().port}`));

const stop = () => {
  io.close();
  Promise.allSettled([db.end(), redis.quit()]).finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
