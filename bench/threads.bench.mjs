/**
 * Threads benchmark: a thread with 5,000 replies.
 *
 * Targets: the first page of its replies, as the web's thread panel asks for it, answers with
 * p95 < 30 ms; a reply sent into it costs the send path (server + PostgreSQL + Redis CPU per
 * message) at most 1.1x a plain message in the same conversation.
 *
 * Environment (all optional):
 *   BENCH_MEMBERS             members of the group, each on a socket (default 10)
 *   BENCH_SENDERS             of them signed up through the API; they send (default 4)
 *   BENCH_REPLIES             replies seeded into the thread (default 5000)
 *   BENCH_MAIN_MESSAGES       main-list messages seeded among them (default 1000)
 *   BENCH_PAGE_REQUESTS       measured requests per kind of page (default 300)
 *   BENCH_PAGE_CONCURRENCY    page requests in flight (default 4)
 *   BENCH_SENDS               sends per measured reply/plain phase (default 600)
 *   BENCH_SEND_RATE           sends per second in those phases (default 40)
 *   BENCH_ROUNDS              rounds of plain vs reply phases (default 5)
 *   BENCH_TIMEOUT_SECONDS     hard limit for the whole benchmark (default 900)
 *   BENCH_DATABASE_URL, BENCH_REDIS_URL  as for the other benchmarks (loopback only)
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { sendMessage } from '@chat/test-kit';
import { envInt, log, newHistogram, now, passOrFail, printFigures, printTable, processStats, round, summarize, waitFor, warnIfBusy } from './lib/bench-kit.mjs';
import { request } from './lib/http-client.mjs';
import { reportRun, runBenchmark, startBenchServer } from './lib/run-benchmark.mjs';
import { cpuMeter, emitSend, phaseFigures, SEND_CPU_TIME_SOURCE, sendOnTheClock, sendTracker } from './lib/send-phase.mjs';
import { measureSendRounds, printSendCpu, sendRoundsFailures } from './lib/send-rounds.mjs';
import { closeAll, connectMember, presenceWatcher, registerUsers, seedGroups, seedNamedUsers, tokenOf, withDatabase } from './lib/socket-load.mjs';
import { databaseNameOf } from './lib/vs-reference.mjs';

// What the web's thread panel asks for first (useThread -> messagesApi.replies with its defaults):
// the oldest replies, from the start of the thread, 100 of them.
const WEB_FIRST_PAGE = { afterSeq: 0, limit: 100 };

const CONFIG = {
  members: envInt('BENCH_MEMBERS', 10),
  senders: envInt('BENCH_SENDERS', 4),
  replies: envInt('BENCH_REPLIES', 5000),
  mainMessages: envInt('BENCH_MAIN_MESSAGES', 1000),
  // Seeding sends in flight at once, over the senders' sockets.
  seedInFlight: 32,
  pageRequests: envInt('BENCH_PAGE_REQUESTS', 300),
  pageWarmup: 30,
  pageConcurrency: envInt('BENCH_PAGE_CONCURRENCY', 4),
  // 5 rounds of 600 at 40/s: at 20/s the server's share moved ±0.5 ms a message between rounds, more than the 10% margin.
  sends: envInt('BENCH_SENDS', 600),
  sendRate: envInt('BENCH_SEND_RATE', 40),
  rounds: envInt('BENCH_ROUNDS', 5),
  targets: { firstPageP95Ms: 30, replyCpuRatio: 1.1 },
};
const TIMEOUT_MS = envInt('BENCH_TIMEOUT_SECONDS', 900) * 1000;

// ---------------------------------------------------------------------------------------------
// 1. Seed: the root through the API, then its replies and main-list messages through the socket,
//    so the send statement itself keeps seq, the root's summary, last_seq and the follows right.

async function seedThread(ctx) {
  const { server, group, senders, sockets } = ctx;
  const started = now();
  const root = await sendMessage(server.baseUrl, senders[0], group.id, 'Thread root: the plan for the week');
  const total = CONFIG.replies + CONFIG.mainMessages;
  // Main-list messages spread evenly among the replies.
  const isMain = (i) => Math.floor(((i + 1) * CONFIG.mainMessages) / total) > Math.floor((i * CONFIG.mainMessages) / total);
  const failedReasons = {};
  let failed = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: CONFIG.seedInFlight }, async () => {
      while (next < total) {
        const i = next++;
        const sender = senders[i % senders.length];
        const payload = { conversationId: group.id, content: `${isMain(i) ? 'main' : 'reply'} ${i}`, clientMessageId: randomUUID() };
        const answer = await emitSend(sockets.get(sender.id), isMain(i) ? payload : { ...payload, threadRootId: root.id });
        if (!answer.ok) {
          failed++;
          failedReasons[answer.code] = (failedReasons[answer.code] ?? 0) + 1;
        }
      }
    }),
  );
  if (failed > 0) throw new Error(`seeding: ${failed} sends failed ${JSON.stringify(failedReasons)}`);
  const sendSeconds = (now() - started) / 1000;
  // As autovacuum would have done after such a burst; the measurements start from a settled table.
  const checks = await withDatabase(ctx.infra.databaseUrl, async (db) => {
    await db.query('vacuum analyze messages, thread_follows, conversations');
    const [conversation] = (await db.query('select last_seq, last_reply_seq from conversations where id = $1', [group.id])).rows;
    const [messages] = (
      await db.query(
        `select count(*)::int as count, min(seq)::int as min_seq, max(seq)::int as max_seq, count(distinct seq)::int as distinct_seqs,
                count(*) filter (where thread_root_id = $2)::int as replies, max(seq) filter (where thread_root_id = $2)::int as last_reply_seq
         from messages where conversation_id = $1`,
        [group.id, root.id],
      )
    ).rows;
    const [rootRow] = (await db.query('select reply_count, cardinality(thread_participant_ids) as participants from messages where id = $1', [root.id])).rows;
    const [follows] = (await db.query('select count(*)::int as count from thread_follows where root_id = $1', [root.id])).rows;
    return {
      messages: messages.count,
      seqGapless: messages.min_seq === 1 && messages.max_seq === messages.count && messages.distinct_seqs === messages.count,
      lastSeqMatches: Number(conversation.last_seq) === messages.max_seq,
      lastReplySeqMatches: Number(conversation.last_reply_seq) === messages.last_reply_seq,
      replies: messages.replies,
      rootReplyCount: rootRow.reply_count,
      rootParticipantsShown: rootRow.participants,
      follows: follows.count,
    };
  });
  const broken = [];
  if (!checks.seqGapless) broken.push('conversation seq is not gapless');
  if (!checks.lastSeqMatches) broken.push('conversation last_seq is not its newest seq');
  if (!checks.lastReplySeqMatches) broken.push('conversation last_reply_seq is not its newest reply');
  if (checks.replies !== CONFIG.replies || checks.rootReplyCount !== CONFIG.replies)
    broken.push(`${checks.replies} replies stored, root reply_count ${checks.rootReplyCount}, ${CONFIG.replies} sent`);
  // The root's author is sender 0, a replier too: every sender follows, nobody else.
  if (checks.follows !== Math.min(senders.length, CONFIG.replies)) broken.push(`${checks.follows} follows for ${senders.length} repliers`);
  if (broken.length > 0) throw new Error(`seeding: ${broken.join('; ')}`);
  return { root, sendSeconds: round(sendSeconds, 1), seconds: round((now() - started) / 1000, 1), checks };
}

// ---------------------------------------------------------------------------------------------
// 2. Pages of the thread over HTTP keep-alive, by every member in turn, a few in flight.

async function measurePages(ctx, seeded) {
  const { server, group, members } = ctx;
  const { root } = seeded;
  // The seq the last 50 replies come after: paging deep into the thread, for comparison.
  const [{ seq: deepAfterSeq }] = await withDatabase(ctx.infra.databaseUrl, async (db) =>
    (await db.query('select seq::int from messages where thread_root_id = $1 order by seq desc offset 50 limit 1', [root.id])).rows.concat([{ seq: 0 }]),
  );
  const kinds = [
    { name: 'web first page', ...WEB_FIRST_PAGE, target: true },
    { name: 'first page of 50', afterSeq: 0, limit: 50, target: true },
    { name: 'last page of 50', afterSeq: deepAfterSeq, limit: 50, target: false },
  ];
  const path = (kind) => `/api/conversations/${group.id}/messages/${root.id}/replies?afterSeq=${kind.afterSeq}&limit=${kind.limit}`;
  const expectedCount = (kind) => Math.min(kind.limit, kind.afterSeq === 0 ? CONFIG.replies : 50);
  for (const kind of kinds) Object.assign(kind, { histogram: newHistogram(), failed: 0, failures: {} });
  const run = async (requests, record) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: CONFIG.pageConcurrency }, async () => {
        while (next < requests) {
          const i = next++;
          // The kinds interleaved, so drift on the machine hits them alike; members in turn.
          const kind = kinds[i % kinds.length];
          const member = members[Math.floor(i / kinds.length) % members.length];
          const res = await request('GET', `${server.baseUrl}${path(kind)}`, { token: tokenOf(member) });
          if (!record) continue;
          let reason;
          if (res.status !== 200) reason = `status ${res.status}`;
          else if (JSON.parse(res.text).replies.length !== expectedCount(kind)) reason = 'wrong number of replies';
          if (reason) {
            kind.failed++;
            kind.failures[reason] = (kind.failures[reason] ?? 0) + 1;
          } else kind.histogram.recordValue(Math.max(1, Math.round(res.micros)));
        }
      }),
    );
  };
  await run(CONFIG.pageWarmup * kinds.length, false);
  const serverBefore = await processStats(server.baseUrl);
  const started = now();
  await run(CONFIG.pageRequests * kinds.length, true);
  const seconds = (now() - started) / 1000;
  const serverCpuSeconds = (await processStats(server.baseUrl)).cpuSeconds - serverBefore.cpuSeconds;
  return {
    what: `GET ${path({ afterSeq: '<afterSeq>', limit: '<limit>' })} over HTTP keep-alive, ${CONFIG.pageConcurrency} in flight, the ${members.length} members in turn, the kinds interleaved; ${CONFIG.pageWarmup} unmeasured requests of each kind first. Latency from sending the request to the last byte of the answer; each answer is checked (200, the expected number of replies)`,
    webFirstPage: `the web's thread panel first asks for afterSeq=${WEB_FIRST_PAGE.afterSeq}&limit=${WEB_FIRST_PAGE.limit}: the oldest replies, from the start of the thread (useThread -> messagesApi.replies with its defaults); it pages no further and merges the replies the conversation's timeline holds`,
    threadReplies: CONFIG.replies,
    kinds: kinds.map((kind) => ({
      name: kind.name,
      afterSeq: kind.afterSeq,
      limit: kind.limit,
      counted: kind.target,
      failed: kind.failed,
      failures: kind.failures,
      latencyMs: summarize(kind.histogram),
    })),
    requestsPerSecond: round((CONFIG.pageRequests * kinds.length) / seconds, 1),
    serverCpuMsPerRequest: round((serverCpuSeconds * 1000) / (CONFIG.pageRequests * kinds.length), 3),
  };
}

// ---------------------------------------------------------------------------------------------
// 3. Send CPU: replies into the thread vs plain messages in the same conversation.

async function sendPhase(ctx, kind, count) {
  const { server, group, sockets, senders, databaseName, root } = ctx;
  const expectedDeliveries = sockets.size - 1;
  const sends = sendTracker();
  // Root summaries seen: a reply's message:received and its sender's ack each carry the root's new summary.
  let summaries = 0;
  ctx.onReceived = (userId, { message, rootThread }) => {
    if (sends.received(message.clientMessageId) && rootThread && message.threadRootId === root.id) summaries++;
  };
  const stop = await cpuMeter(server, databaseName);
  const started = now();
  await sendOnTheClock({ count, rate: CONFIG.sendRate, started }, (i) => {
    const sender = senders[i % senders.length];
    const clientMessageId = randomUUID();
    sends.start(clientMessageId);
    // The same words either way; a reply only adds its root.
    const payload = { conversationId: group.id, content: `status update ${i}`, clientMessageId };
    emitSend(sockets.get(sender.id), kind === 'reply' ? { ...payload, threadRootId: root.id } : payload).then((answer) => {
      if (sends.answered(clientMessageId, answer) && answer.rootThread) summaries++;
    });
  });
  // The phase ends once every send is acked and delivered to every other connected member (for a
  // reply, each of those carries the root's summary).
  await waitFor(() => sends.outstanding(expectedDeliveries) === 0, 20_000);
  const seconds = (now() - started) / 1000;
  const spent = await stop();
  return phaseFigures(
    sends,
    { kind, sent: count, deliveries: expectedDeliveries, seconds, spent },
    {
      rootSummariesExpected: kind === 'reply' ? sends.acked * sockets.size : 0,
      rootSummariesReceived: summaries,
    },
  );
}

async function measureSends(ctx) {
  const { rounds, medians, ratios } = await measureSendRounds((kind, count) => sendPhase(ctx, kind, count), ['plain', 'reply'], CONFIG, 'as a reply');
  return {
    what: `${CONFIG.sends} message:send per phase at ${CONFIG.sendRate}/s, the ${ctx.senders.length} senders in turn, into the group of ${ctx.members.length} (every member on socket.io, heartbeating from connect, presence:subscribe): 'plain' into the main list, 'reply' with threadRootId of the thread seeded with ${CONFIG.replies} replies (it grows by each reply phase); the same words either way. CPU of the server process, this database's PostgreSQL processes and redis-server from the first send until every send is acked and delivered to every other connected member (a reply's message:received and its ack carry the root's new summary; no other event is sent), per acked message`,
    cpuTimeSource: SEND_CPU_TIME_SOURCE,
    rounds,
    medians,
    ratios,
  };
}

// ---------------------------------------------------------------------------------------------

async function main(cleanups, run) {
  const { loadAverage } = run;
  warnIfBusy(loadAverage.start);

  const { autovacuum, infra, server } = await startBenchServer(cleanups, 'threads');
  log(`> server ready at ${server.baseUrl} (pid ${server.pid})`);

  const senders = await registerUsers(server.baseUrl, 'Sender', CONFIG.senders);
  const others = await withDatabase(infra.databaseUrl, (db) => seedNamedUsers(db, 'Member', CONFIG.members - CONFIG.senders));
  const members = [...senders, ...others];
  const [group] = await withDatabase(infra.databaseUrl, (db) => seedGroups(db, [members.map((m) => m.id)], 'Threads bench'));
  const ctx = {
    server,
    infra,
    group,
    senders,
    members,
    databaseName: databaseNameOf(infra.databaseUrl),
    sockets: new Map(),
    onReceived: () => undefined,
  };
  cleanups.push(() => closeAll(ctx.sockets));
  const watch = presenceWatcher([group]);
  const listeners = { 'message:received': (userId, payload) => ctx.onReceived(userId, payload) };
  for (const member of members) ctx.sockets.set(member.id, await connectMember(server.baseUrl, member, listeners, watch));
  log(`  group of ${members.length} (${senders.length} senders signed up through the API), all on a socket`);

  log(`> seeding: the root through the API, ${CONFIG.replies} replies and ${CONFIG.mainMessages} main-list messages through the socket`);
  const seeded = await seedThread(ctx);
  ctx.root = seeded.root;
  log(`  ${seeded.checks.messages} messages in ${seeded.sendSeconds} s; seq gapless, last_seq, root summary and follows checked`);

  log(`> pages of the thread: ${CONFIG.pageRequests} requests of each kind, ${CONFIG.pageConcurrency} in flight`);
  loadAverage.beforePages = os.loadavg();
  warnIfBusy(loadAverage.beforePages);
  const pages = await measurePages(ctx, seeded);

  log(`> send CPU: ${CONFIG.rounds} rounds of ${CONFIG.sends} sends plain vs reply into the thread, ${CONFIG.sendRate}/s`);
  loadAverage.beforeSends = os.loadavg();
  warnIfBusy(loadAverage.beforeSends);
  const sends = await measureSends(ctx);
  loadAverage.end = os.loadavg();

  // Verdict.
  const failures = [];
  for (const kind of pages.kinds) {
    if (kind.failed) failures.push(`pages "${kind.name}": ${kind.failed} failed ${JSON.stringify(kind.failures)}`);
    if (kind.counted && !(kind.latencyMs.p95 < CONFIG.targets.firstPageP95Ms))
      failures.push(`pages "${kind.name}": p95 ${kind.latencyMs.p95} ms (>= ${CONFIG.targets.firstPageP95Ms})`);
  }
  failures.push(
    ...sendRoundsFailures(sends, ['plain', 'reply'], {
      otherAs: 'as a reply',
      ceiling: CONFIG.targets.replyCpuRatio,
      label: 'send round',
      check: (p) =>
        p.rootSummariesReceived === p.rootSummariesExpected
          ? undefined
          : `${p.rootSummariesReceived} root summaries received, ${p.rootSummariesExpected} expected`,
    }),
  );

  log('');
  printFigures([
    ...pages.kinds.map((kind) => ({
      figure: `${kind.name} (afterSeq=${kind.afterSeq}&limit=${kind.limit}) p50 / p95 / p99 ms`,
      value: `${kind.latencyMs.p50} / ${kind.latencyMs.p95} / ${kind.latencyMs.p99}`,
      target: kind.counted ? `p95 < ${CONFIG.targets.firstPageP95Ms}` : '',
      result: kind.counted ? passOrFail(kind.latencyMs.p95 < CONFIG.targets.firstPageP95Ms && !kind.failed) : '',
    })),
    { figure: 'CPU ms/message plain', value: sends.medians.plain.cpuMsPerMessage },
    { figure: `CPU ms/message as a reply (thread of ${CONFIG.replies}+)`, value: sends.medians.reply.cpuMsPerMessage },
    {
      figure: 'ratio reply / plain',
      value: sends.ratios.cpuMsPerMessage,
      target: `<= ${CONFIG.targets.replyCpuRatio}`,
      result: passOrFail(sends.ratios.cpuMsPerMessage <= CONFIG.targets.replyCpuRatio),
    },
  ]);
  log('\nthread pages\n');
  printTable(
    pages.kinds.map((kind) => ({ page: kind.name, afterSeq: kind.afterSeq, limit: kind.limit, ...kind.latencyMs, failed: kind.failed })),
    ['page', 'afterSeq', 'limit', 'count', 'p50', 'p95', 'p99', 'max', 'failed'],
  );
  log('\nsend CPU ms per message, medians of the rounds\n');
  printSendCpu(sends.medians, ['plain', 'reply']);
  log('');

  await reportRun(
    'threads',
    run,
    {
      targets: {
        firstPage: `a thread of ${CONFIG.replies} replies: its first page of replies (as the web asks for it, afterSeq=${WEB_FIRST_PAGE.afterSeq}&limit=${WEB_FIRST_PAGE.limit}, and with limit=50) p95 < ${CONFIG.targets.firstPageP95Ms} ms`,
        replyCpu: `CPU per message (server + PostgreSQL + Redis) of a reply into that thread <= ${CONFIG.targets.replyCpuRatio}x a plain message in the same conversation (medians of the rounds)`,
      },
      failures,
      autovacuum,
    },
    {
      config: CONFIG,
      seed: {
        what: `one group of ${members.length} (seedGroups; ${senders.length} senders signed up through the API, the others seeded with a session each); the root sent through POST /api/conversations/:id/messages by sender 0; then ${CONFIG.replies} replies (threadRootId) and ${CONFIG.mainMessages} main-list messages spread among them, message:send over the senders' sockets in turn, ${CONFIG.seedInFlight} in flight; then VACUUM ANALYZE of messages, thread_follows and conversations`,
        sendSeconds: seeded.sendSeconds,
        seconds: seeded.seconds,
        checks: seeded.checks,
      },
      presence: watch.stats(),
      pages,
      sends,
    },
  );
}

await runBenchmark(main, {
  timeoutMs: TIMEOUT_MS,
  title: `Threads benchmark: a thread of ${CONFIG.replies} replies among ${CONFIG.mainMessages} main-list messages in a group of ${CONFIG.members}; ${CONFIG.pageRequests} requests per kind of page; ${CONFIG.rounds} rounds of ${CONFIG.sends} sends plain vs reply`,
});
