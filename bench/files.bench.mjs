/**
 * Files benchmark.
 *
 * Targets: uploading 20 files of 10 MB, 4 in flight, grows the server's RSS by less than 50 MB; a
 * 12-megapixel JPEG's thumbnail is made in under 150 ms at p95; and a message with an attachment
 * costs the send path (server + PostgreSQL + Redis CPU per message) at most 1.2x a plain one.
 *
 * Environment (all optional):
 *   BENCH_UPLOADS             large uploads (default 20)
 *   BENCH_UPLOAD_MB           size of each, in MiB (default 10)
 *   BENCH_UPLOAD_CONCURRENCY  uploads in flight (default 4)
 *   BENCH_THUMBNAIL_RUNS      measured thumbnails, in process and through the server (default 30)
 *   BENCH_THUMBNAIL_WARMUP    warm-up thumbnails of each kind (default 3)
 *   BENCH_SENDS               socket sends per measured phase (default 400)
 *   BENCH_ROUNDS              rounds of plain vs with-attachment phases (default 5)
 *   BENCH_SEND_RATE           sends per second, open loop (default 100)
 *   BENCH_MEMBERS             members of the conversation, each with a socket (default 4)
 *   BENCH_TIMEOUT_SECONDS     hard limit for the whole benchmark (default 600)
 *   BENCH_DATABASE_URL, BENCH_REDIS_URL  as for the other benchmarks (loopback only)
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { createGroup, createUser } from '@chat/test-kit';
import {
  envInt,
  log,
  newHistogram,
  now,
  passOrFail,
  printFigures,
  requireFromServer,
  ROOT,
  round,
  sleep,
  summarize,
  toMicros,
  waitFor,
  warnIfBusy,
} from './lib/bench-kit.mjs';
import { agent, request } from './lib/http-client.mjs';
import { reportRun, runBenchmark, startBenchServer } from './lib/run-benchmark.mjs';
import { cpuMeter, emitSend, phaseFigures, SEND_CPU_TIME_SOURCE, sendOnTheClock, sendTracker } from './lib/send-phase.mjs';
import { measureSendRounds, printSendCpu, sendRoundsFailures } from './lib/send-rounds.mjs';
import { closeAll, connectMember, presenceWatcher } from './lib/socket-load.mjs';
import { databaseNameOf } from './lib/vs-reference.mjs';

const pg = requireFromServer('pg');
const sharp = requireFromServer('sharp');

const MIB = 2 ** 20;
const CONFIG = {
  uploads: envInt('BENCH_UPLOADS', 20),
  uploadBytes: envInt('BENCH_UPLOAD_MB', 10) * MIB,
  uploadConcurrency: envInt('BENCH_UPLOAD_CONCURRENCY', 4),
  uploadChunkBytes: 64 * 1024,
  rssSampleMs: 20,
  warmupUploads: 3,
  image: { width: 4000, height: 3000, quality: 85 },
  thumbnailRuns: envInt('BENCH_THUMBNAIL_RUNS', 30),
  thumbnailWarmup: envInt('BENCH_THUMBNAIL_WARMUP', 3),
  thumbnailPollMs: 10,
  sends: envInt('BENCH_SENDS', 400),
  rounds: envInt('BENCH_ROUNDS', 5),
  sendRate: envInt('BENCH_SEND_RATE', 100),
  members: envInt('BENCH_MEMBERS', 4),
  targets: { rssGrowthMiB: 50, thumbnailP95Ms: 150, attachmentCpuRatio: 1.2 },
};
const TIMEOUT_MS = envInt('BENCH_TIMEOUT_SECONDS', 600) * 1000;
const PASSWORD = `bench-${randomUUID()}`;

// ---------------------------------------------------------------------------------------------
// Uploads: multipart/form-data written to the socket piece by piece, as a browser streams a file.

/**
 * POST /api/files with one file of `size` bytes in the field `file`. `next()` gives the file's
 * bytes chunk by chunk (null at the end), so no upload is held whole in this process; the body
 * honours the socket's backpressure. Resolves with the status, the answer, the sha256 of what
 * was sent and the time from the first byte sent to the last byte of the answer.
 */
function upload(baseUrl, token, { name, size, contentType = 'application/octet-stream', next }) {
  const boundary = `----bench${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${contentType}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const hash = createHash('sha256');
  return new Promise((resolve, reject) => {
    const started = now();
    const req = http.request(`${baseUrl}/api/files`, {
      method: 'POST',
      agent,
      timeout: 60_000,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': head.length + size + tail.length,
      },
    });
    req.on('timeout', () => req.destroy(new Error(`upload of ${name} timed out`)));
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body;
        try {
          body = JSON.parse(text);
        } catch {
          body = { text: text.slice(0, 200) };
        }
        resolve({ status: res.statusCode, body, sha256: hash.digest('hex'), ms: now() - started });
      });
    });
    (async () => {
      req.write(head);
      let sent = 0;
      for (let chunk = next(); chunk; chunk = next()) {
        hash.update(chunk);
        sent += chunk.length;
        if (!req.write(chunk)) await once(req, 'drain');
      }
      if (sent !== size) throw new Error(`upload of ${name}: ${sent} bytes made for ${size} declared`);
      req.end(tail);
    })().catch((error) => req.destroy(error));
  });
}

/** Chunks of fresh random bytes, `total` in all. */
function randomChunks(total, chunkBytes) {
  let left = total;
  return () => {
    if (left === 0) return null;
    const n = Math.min(chunkBytes, left);
    left -= n;
    return randomBytes(n);
  };
}

/** A buffer's bytes as upload() wants them, in chunks. */
function bufferChunks(buffer, chunkBytes) {
  let at = 0;
  return () => {
    if (at >= buffer.length) return null;
    const chunk = buffer.subarray(at, at + chunkBytes);
    at += chunk.length;
    return chunk;
  };
}

const uploadBuffer = (baseUrl, token, buffer, name, contentType) =>
  upload(baseUrl, token, { name, size: buffer.length, contentType, next: bufferChunks(buffer, CONFIG.uploadChunkBytes) });

/** sha256 and size of GET /api/files/:id, streamed. */
function downloadHash(baseUrl, token, fileId) {
  return new Promise((resolve, reject) => {
    const req = http.get(`${baseUrl}/api/files/${fileId}`, { agent, headers: { authorization: `Bearer ${token}` }, timeout: 60_000 }, (res) => {
      const hash = createHash('sha256');
      let size = 0;
      res.on('data', (chunk) => {
        hash.update(chunk);
        size += chunk.length;
      });
      res.on('end', () => resolve({ status: res.statusCode, size, sha256: hash.digest('hex') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('download timed out')));
    req.on('error', reject);
  });
}

/** VmRSS of a process in bytes, from /proc/<pid>/status. */
function vmRss(pid) {
  const kib = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (kib === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kib) * 1024;
}

/** Samples the process's VmRSS every `everyMs` until stop(), which gives the samples. */
function rssSampler(pid, everyMs) {
  const samples = [];
  const started = now();
  const take = () => samples.push({ ms: now() - started, bytes: vmRss(pid) });
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}

const mib = (bytes) => round(bytes / MIB, 1);

async function measureUploads(server, user) {
  // Warm-up: the upload path's code, pools and buffers, before the baseline.
  for (let i = 0; i < CONFIG.warmupUploads; i++) {
    const res = await upload(server.baseUrl, user.token, {
      name: `warmup-${i}.bin`,
      size: 256 * 1024,
      next: randomChunks(256 * 1024, CONFIG.uploadChunkBytes),
    });
    if (res.status !== 201) throw new Error(`warm-up upload: ${res.status} ${JSON.stringify(res.body)}`);
  }
  await sleep(1000);
  const baselineBytes = vmRss(server.pid);
  const sampler = rssSampler(server.pid, CONFIG.rssSampleMs);
  const results = [];
  let next = 0;
  const started = now();
  const worker = async () => {
    while (next < CONFIG.uploads) {
      const i = next++;
      const res = await upload(server.baseUrl, user.token, {
        name: `large-${i}.bin`,
        size: CONFIG.uploadBytes,
        next: randomChunks(CONFIG.uploadBytes, CONFIG.uploadChunkBytes),
      });
      results[i] = res;
    }
  };
  await Promise.all(Array.from({ length: CONFIG.uploadConcurrency }, worker));
  const seconds = (now() - started) / 1000;
  // What stays once the uploads are done.
  await sleep(1000);
  const samples = sampler.stop();
  const endBytes = samples.at(-1).bytes;
  const peak = samples.reduce((best, s) => (s.bytes > best.bytes ? s : best));

  const failures = [];
  for (const [i, res] of results.entries()) {
    if (res.status !== 201) failures.push(`upload ${i}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    else if (res.body.size !== CONFIG.uploadBytes) failures.push(`upload ${i}: size ${res.body.size}, sent ${CONFIG.uploadBytes}`);
  }
  const checked = results.find((r) => r.status === 201);
  const download = checked ? await downloadHash(server.baseUrl, user.token, checked.body.id) : undefined;
  if (!download) failures.push('no upload to download');
  else if (download.status !== 200 || download.sha256 !== checked.sha256 || download.size !== CONFIG.uploadBytes)
    failures.push(`download of ${checked.body.id}: ${download.status}, ${download.size} bytes, sha256 ${download.sha256} for ${checked.sha256} sent`);

  const histogram = newHistogram();
  for (const r of results) histogram.recordValue(toMicros(r.ms));
  return {
    uploads: CONFIG.uploads,
    bytesEach: CONFIG.uploadBytes,
    inFlight: CONFIG.uploadConcurrency,
    seconds: round(seconds),
    throughputMiBps: round((CONFIG.uploads * CONFIG.uploadBytes) / MIB / seconds, 1),
    uploadMs: summarize(histogram),
    answered201WithSize: results.filter((r) => r.status === 201 && r.body.size === CONFIG.uploadBytes).length,
    download: download && {
      fileId: checked.body.id,
      status: download.status,
      size: download.size,
      sha256: download.sha256,
      matches: download.sha256 === checked.sha256,
    },
    rss: {
      source: `/proc/<pid>/status VmRSS every ${CONFIG.rssSampleMs} ms`,
      samples: samples.length,
      baselineMiB: mib(baselineBytes),
      peakMiB: mib(peak.bytes),
      peakAtSeconds: round(peak.ms / 1000),
      growthMiB: mib(peak.bytes - baselineBytes),
      endMiB: mib(endBytes),
      endGrowthMiB: mib(endBytes - baselineBytes),
      // Every 10th sample, to see the shape without keeping thousands.
      timeline: samples.filter((_, i) => i % 10 === 0).map((s) => [round(s.ms / 1000), mib(s.bytes)]),
    },
    failures,
  };
}

// ---------------------------------------------------------------------------------------------
// Thumbnails of a 12-megapixel photo-like JPEG.

/** 4000x3000, quality 85: gradients, slow waves and per-pixel noise, so it compresses like a photo (a few MB). */
async function photoLikeJpeg({ width, height, quality }) {
  const raw = Buffer.alloc(width * height * 3);
  let s = 0x9e3779b9;
  const clamp = (v) => (v < 0 ? 0 : v > 255 ? 255 : v);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      const noise = ((s & 0xff) - 128) * 0.25;
      const wave = 40 * Math.sin(x / 137 + y / 251) + 30 * Math.cos(x / 53 - y / 97);
      const i = (y * width + x) * 3;
      raw[i] = clamp(90 + (120 * x) / width + wave + noise);
      raw[i + 1] = clamp(60 + (140 * y) / height - wave * 0.6 + noise);
      raw[i + 2] = clamp(150 - (80 * (x + y)) / (width + height) + wave * 0.8 + noise);
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg({ quality })
    .toBuffer();
}

async function measureThumbnails(server, user, jpeg) {
  // (a) The server's own thumbnail function (apps/server/dist), in this process, on the same bytes.
  const { renderThumbnail, THUMBNAIL_SIZE } = requireFromServer(join(ROOT, 'apps/server/dist/modules/files/thumbnails/thumbnail-image.js'));
  const inProcess = newHistogram();
  let output;
  for (let i = 0; i < CONFIG.thumbnailWarmup + CONFIG.thumbnailRuns; i++) {
    const started = now();
    const result = await renderThumbnail(jpeg);
    const ms = now() - started;
    if (result.state !== 'ready') throw new Error(`renderThumbnail gave no thumbnail: ${result.reason}`);
    if (i >= CONFIG.thumbnailWarmup) inProcess.recordValue(toMicros(ms));
    output = result;
  }
  const thumbnailMeta = await sharp(output.webp).metadata();

  // (b) As a user sees it: from the upload's 201 until GET /api/files/:id/info shows thumbnailUrl.
  const endToEnd = newHistogram();
  const uploadMs = newHistogram();
  const failures = [];
  let polls = 0;
  let thumbnailChecked;
  for (let i = 0; i < CONFIG.thumbnailWarmup + CONFIG.thumbnailRuns; i++) {
    const res = await uploadBuffer(server.baseUrl, user.token, jpeg, `photo-${i}.jpg`, 'image/jpeg');
    const answered = now();
    if (res.status !== 201 || res.body.mimeType !== 'image/jpeg') {
      failures.push(`thumbnail upload ${i}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      continue;
    }
    let ready = false;
    while (now() - answered < 10_000) {
      polls++;
      const info = await request('GET', `${server.baseUrl}/api/files/${res.body.id}/info`, { token: user.token });
      if (info.status !== 200) throw new Error(`info of ${res.body.id}: ${info.status} ${info.text.slice(0, 200)}`);
      if (JSON.parse(info.text).thumbnailUrl) {
        ready = true;
        break;
      }
      await sleep(CONFIG.thumbnailPollMs);
    }
    const ms = now() - answered;
    if (!ready) {
      failures.push(`thumbnail of upload ${i} not there after 10 s`);
      continue;
    }
    if (i >= CONFIG.thumbnailWarmup) {
      endToEnd.recordValue(toMicros(ms));
      uploadMs.recordValue(toMicros(res.ms));
    }
    if (!thumbnailChecked) {
      const thumbnail = await request('GET', `${server.baseUrl}/api/files/${res.body.id}/thumbnail`, { token: user.token });
      thumbnailChecked = { status: thumbnail.status };
      if (thumbnail.status !== 200) failures.push(`GET thumbnail of ${res.body.id}: ${thumbnail.status}`);
    }
  }
  return {
    image: { ...CONFIG.image, bytes: jpeg.length, megapixels: (CONFIG.image.width * CONFIG.image.height) / 1e6 },
    thumbnail: { format: thumbnailMeta.format, width: thumbnailMeta.width, height: thumbnailMeta.height, bytes: output.webp.length, maxSide: THUMBNAIL_SIZE },
    sharp: { version: sharp.versions.sharp, vips: sharp.versions.vips, concurrency: sharp.concurrency() },
    warmup: CONFIG.thumbnailWarmup,
    inProcessMs: {
      what: 'renderThumbnail (apps/server/dist/modules/files/thumbnails/thumbnail-image.js) on the JPEG in memory, in the benchmark process, one at a time',
      ...summarize(inProcess),
    },
    uploadToAvailableMs: {
      what: `upload answered 201 -> GET /api/files/:id/info has thumbnailUrl, polled every ${CONFIG.thumbnailPollMs} ms (queue, worker, disk read, render, store, row update, poll)`,
      ...summarize(endToEnd),
      polls,
    },
    uploadMs: summarize(uploadMs),
    thumbnailDownload: thumbnailChecked,
    failures,
  };
}

// ---------------------------------------------------------------------------------------------
// Send CPU: plain messages against messages with one attachment, over real sockets.

/** A 32x32 PNG with some noise (about 3 KB), so it gets a real (tiny) thumbnail. */
function smallPng() {
  const raw = randomBytes(32 * 32 * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = 100 + (raw[i] % 40);
  return sharp(raw, { raw: { width: 32, height: 32, channels: 3 } })
    .png()
    .toBuffer();
}

async function sendPhase(ctx, kind, count) {
  const { server, group, sockets, files, databaseName } = ctx;
  const expected = group.members.length - 1;
  const sends = sendTracker();
  let wrongAttachments = 0;
  ctx.onReceived = (userId, { message }) => {
    const entry = sends.received(message.clientMessageId);
    if (entry && (message.attachments?.length ?? 0) !== entry.attachments) wrongAttachments++;
  };
  const threadsBefore = readdirSync(`/proc/${server.pid}/task`).length;
  const stop = await cpuMeter(server, databaseName);
  const started = now();
  await sendOnTheClock({ count, rate: CONFIG.sendRate, started }, (i) => {
    const sender = group.members[i % group.members.length];
    const attachmentIds = kind === 'attachment' ? [files.get(sender).pop()] : undefined;
    if (attachmentIds && !attachmentIds[0]) throw new Error(`no file left to attach for ${sender}`);
    const clientMessageId = randomUUID();
    const entry = sends.start(clientMessageId, { attachments: attachmentIds?.length ?? 0 });
    const payload = {
      conversationId: group.id,
      content: `status update ${i}: see the attached notes`,
      clientMessageId,
      ...(attachmentIds ? { attachmentIds } : {}),
    };
    emitSend(sockets.get(sender), payload, 10_000).then((answer) => {
      if (sends.answered(clientMessageId, answer) && (answer.message?.attachments?.length ?? 0) !== entry.attachments) wrongAttachments++;
    });
  });
  await waitFor(() => sends.outstanding(expected) === 0, 11_000);
  const seconds = (now() - started) / 1000;
  const spent = await stop();
  const threads = [threadsBefore, readdirSync(`/proc/${server.pid}/task`).length];
  return phaseFigures(sends, { kind, sent: count, deliveries: expected, seconds, spent }, { wrongAttachments, serverThreads: threads });
}

async function measureSendCpu(server, infra, client) {
  const databaseName = databaseNameOf(infra.databaseUrl);
  const users = [];
  for (let i = 0; i < CONFIG.members; i++) {
    users.push(await createUser(server.baseUrl, { email: `member-${i}-${randomUUID()}@example.com`, password: PASSWORD, displayName: `Member ${i}` }));
  }
  const conversation = await createGroup(
    server.baseUrl,
    users[0],
    users.slice(1).map((u) => u.id),
    { title: 'Files bench' },
  );
  const group = { id: conversation.id, members: users.map((u) => u.id) };

  // Files to attach: one per attachment send, uploaded by its sender, before anything is measured.
  const perSender = Math.ceil(((CONFIG.rounds + 1) * CONFIG.sends) / CONFIG.members) + 1;
  const png = await smallPng();
  const files = new Map(users.map((u) => [u.id, []]));
  const uploadStarted = now();
  const jobs = users.flatMap((u) => Array.from({ length: perSender }, (_, i) => ({ user: u, i })));
  let nextJob = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (nextJob < jobs.length) {
        const { user, i } = jobs[nextJob++];
        const res = await uploadBuffer(server.baseUrl, user.token, png, `chart-${i}.png`, 'image/png');
        if (res.status !== 201) throw new Error(`small upload: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
        files.get(user.id).push(res.body.id);
      }
    }),
  );
  // Their thumbnails are made before any phase, so no thumbnail work lands in a measured phase.
  for (const deadline = now() + 120_000; ; await sleep(200)) {
    const { rows } = await client.query(`select count(*)::int n from files where thumbnail_state = 'pending'`);
    if (rows[0].n === 0) break;
    if (now() > deadline) throw new Error(`${rows[0].n} small thumbnails still pending after 120 s`);
  }
  const preUpload = { files: jobs.length, bytesEach: png.length, seconds: round((now() - uploadStarted) / 1000, 1) };
  log(`  ${jobs.length} PNGs of ${png.length} bytes uploaded and thumbnailed in ${preUpload.seconds} s`);

  // Real clients: a socket each, heartbeating from connect, watching the others' presence.
  const ctx = { server, group, files, databaseName, sockets: new Map(), onReceived: () => undefined };
  const watch = presenceWatcher([group]);
  const listeners = { 'message:received': (userId, payload) => ctx.onReceived(userId, payload) };
  for (const user of users) ctx.sockets.set(user.id, await connectMember(server.baseUrl, user, listeners, watch));
  try {
    const phase = (kind, count) => sendPhase(ctx, kind, count);
    const { rounds, medians, ratios } = await measureSendRounds(phase, ['plain', 'attachment'], CONFIG, 'with an attachment');
    return {
      what: `${CONFIG.members} members on socket.io (heartbeats from connect, presence:subscribe), one group; ${CONFIG.sends} message:send per phase at ${CONFIG.sendRate}/s, senders in turn; attachment phases attach 1 PNG each (uploaded before, thumbnails made before). CPU of the server process, this database's PostgreSQL processes and redis-server, from the first send until every send is acked and delivered, per acked message`,
      cpuTimeSource: SEND_CPU_TIME_SOURCE,
      members: CONFIG.members,
      sendsPerPhase: CONFIG.sends,
      rate: CONFIG.sendRate,
      preUpload,
      presence: watch.stats(),
      rounds,
      medians,
      ratios,
      postgresMsPerMessageAdded: round(medians.attachment.postgresCpuMsPerMessage - medians.plain.postgresCpuMsPerMessage, 3),
      serverMsPerMessageAdded: round(medians.attachment.serverCpuMsPerMessage - medians.plain.serverCpuMsPerMessage, 3),
    };
  } finally {
    closeAll(ctx.sockets);
  }
}

// ---------------------------------------------------------------------------------------------

async function main(cleanups, run) {
  const { loadAverage } = run;

  const { autovacuum, infra, server } = await startBenchServer(cleanups, 'files', { UPLOAD_RATE_LIMIT: '1000000' });
  log(`> server ready at ${server.baseUrl} (pid ${server.pid}), files under ${infra.dataDir}`);
  const client = new pg.Client({ connectionString: infra.databaseUrl });
  await client.connect();
  cleanups.push(() => client.end());

  const uploader = await createUser(server.baseUrl, { email: `uploader-${randomUUID()}@example.com`, password: PASSWORD, displayName: 'Uploader' });

  // 1. Server memory while large files stream through it.
  log(`> ${CONFIG.uploads} uploads of ${CONFIG.uploadBytes / MIB} MiB, ${CONFIG.uploadConcurrency} in flight`);
  loadAverage.beforeUploads = os.loadavg();
  const uploads = await measureUploads(server, uploader);
  log(
    `  RSS baseline ${uploads.rss.baselineMiB} MiB, peak ${uploads.rss.peakMiB} MiB (+${uploads.rss.growthMiB}), end ${uploads.rss.endMiB} MiB; ${uploads.throughputMiBps} MiB/s`,
  );

  // 2. Thumbnails.
  log(`> thumbnails: a ${CONFIG.image.width}x${CONFIG.image.height} JPEG, ${CONFIG.thumbnailWarmup} warm-up + ${CONFIG.thumbnailRuns} runs`);
  const jpeg = await photoLikeJpeg(CONFIG.image);
  loadAverage.beforeThumbnails = os.loadavg();
  const thumbnails = await measureThumbnails(server, uploader, jpeg);
  log(
    `  ${mib(jpeg.length)} MiB JPEG; renderThumbnail p50 ${thumbnails.inProcessMs.p50} ms, p95 ${thumbnails.inProcessMs.p95} ms; upload -> available p50 ${thumbnails.uploadToAvailableMs.p50} ms, p95 ${thumbnails.uploadToAvailableMs.p95} ms`,
  );

  // 3. Send CPU with and without an attachment.
  log(`> send CPU: ${CONFIG.rounds} rounds of ${CONFIG.sends} sends plain vs with 1 attachment, ${CONFIG.sendRate}/s`);
  loadAverage.beforeSends = os.loadavg();
  warnIfBusy(loadAverage.beforeSends);
  const sendCpu = await measureSendCpu(server, infra, client);
  loadAverage.end = os.loadavg();

  // Verdict.
  const failures = [...uploads.failures, ...thumbnails.failures];
  if (uploads.rss.growthMiB >= CONFIG.targets.rssGrowthMiB) failures.push(`server RSS grew ${uploads.rss.growthMiB} MiB (>= ${CONFIG.targets.rssGrowthMiB})`);
  if (thumbnails.inProcessMs.p95 >= CONFIG.targets.thumbnailP95Ms)
    failures.push(`12 MP thumbnail p95 ${thumbnails.inProcessMs.p95} ms (>= ${CONFIG.targets.thumbnailP95Ms})`);
  failures.push(
    ...sendRoundsFailures(sendCpu, ['plain', 'attachment'], {
      otherAs: 'with an attachment',
      ceiling: CONFIG.targets.attachmentCpuRatio,
      label: 'round',
      check: (p) => (p.wrongAttachments ? `${p.wrongAttachments} with the wrong attachments` : undefined),
    }),
  );

  log('');
  printFigures([
    { figure: 'server RSS baseline (MiB)', value: uploads.rss.baselineMiB },
    { figure: 'server RSS peak (MiB)', value: uploads.rss.peakMiB },
    {
      figure: 'server RSS growth (MiB)',
      value: uploads.rss.growthMiB,
      target: `< ${CONFIG.targets.rssGrowthMiB}`,
      result: passOrFail(uploads.rss.growthMiB < CONFIG.targets.rssGrowthMiB),
    },
    { figure: 'server RSS at the end (MiB)', value: uploads.rss.endMiB },
    {
      figure: `uploads 201 with the right size`,
      value: `${uploads.answered201WithSize}/${CONFIG.uploads}`,
      result: passOrFail(uploads.answered201WithSize === CONFIG.uploads),
    },
    { figure: 'download sha256 matches', value: String(uploads.download?.matches ?? false), result: passOrFail(uploads.download?.matches) },
    { figure: 'upload of 10 MiB p50 / p95 (ms)', value: `${uploads.uploadMs.p50} / ${uploads.uploadMs.p95}` },
    { figure: '12 MP thumbnail, in process p50 (ms)', value: thumbnails.inProcessMs.p50 },
    {
      figure: '12 MP thumbnail, in process p95 (ms)',
      value: thumbnails.inProcessMs.p95,
      target: `< ${CONFIG.targets.thumbnailP95Ms}`,
      result: passOrFail(thumbnails.inProcessMs.p95 < CONFIG.targets.thumbnailP95Ms),
    },
    { figure: '12 MP thumbnail, in process max (ms)', value: thumbnails.inProcessMs.max },
    {
      figure: 'upload 201 -> thumbnailUrl p50 / p95 / max (ms)',
      value: `${thumbnails.uploadToAvailableMs.p50} / ${thumbnails.uploadToAvailableMs.p95} / ${thumbnails.uploadToAvailableMs.max}`,
    },
    { figure: 'CPU ms/message plain (server+PG+Redis)', value: sendCpu.medians.plain.cpuMsPerMessage },
    { figure: 'CPU ms/message 1 attachment', value: sendCpu.medians.attachment.cpuMsPerMessage },
    {
      figure: 'ratio attachment / plain',
      value: sendCpu.ratios.cpuMsPerMessage,
      target: `<= ${CONFIG.targets.attachmentCpuRatio}`,
      result: passOrFail(sendCpu.ratios.cpuMsPerMessage <= CONFIG.targets.attachmentCpuRatio),
    },
  ]);
  log('\nsend CPU ms per message, medians of the rounds\n');
  printSendCpu(sendCpu.medians, ['plain', 'attachment']);
  log(
    `ratios: server ${sendCpu.ratios.serverCpuMsPerMessage}, PostgreSQL ${sendCpu.ratios.postgresCpuMsPerMessage}, Redis ${sendCpu.ratios.redisCpuMsPerMessage}, total ${sendCpu.ratios.cpuMsPerMessage}\n`,
  );

  await reportRun(
    'files',
    run,
    {
      targets: {
        rss: `server RSS growth (peak VmRSS - baseline after warm-up) < ${CONFIG.targets.rssGrowthMiB} MiB while ${CONFIG.uploads} x ${CONFIG.uploadBytes / MIB} MiB upload, ${CONFIG.uploadConcurrency} in flight`,
        thumbnail: `a 12-megapixel JPEG's thumbnail (renderThumbnail, in process) p95 < ${CONFIG.targets.thumbnailP95Ms} ms`,
        sendCpu: `CPU per message (server + PostgreSQL + Redis) with 1 attachment <= ${CONFIG.targets.attachmentCpuRatio}x plain (medians of the rounds)`,
      },
      failures,
      autovacuum,
    },
    {
      storage: 'disk (DATA_DIR in a temporary folder, removed at the end)',
      config: CONFIG,
      uploads,
      thumbnails,
      sendCpu,
    },
  );
}

await runBenchmark(main, {
  timeoutMs: TIMEOUT_MS,
  title: `Files benchmark: ${CONFIG.uploads} x ${CONFIG.uploadBytes / MIB} MiB uploads (${CONFIG.uploadConcurrency} in flight), ${CONFIG.thumbnailRuns} thumbnails of a 12 MP JPEG, ${CONFIG.rounds} rounds of ${CONFIG.sends} sends plain vs with an attachment`,
});
