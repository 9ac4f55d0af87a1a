import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiskFileStorage } from './disk-file-storage';
import type { FileStorage } from './file-storage';
import { S3FileStorage } from './s3-file-storage';

const MiB = 1024 * 1024;
const newKey = () => `contract/${randomUUID()}`;

async function read(storage: FileStorage, key: string, range?: { start: number; end: number }): Promise<Buffer | null> {
  const stream = await storage.get(key, range);
  return stream && buffer(stream);
}

/** Yields `chunks` then fails, as a client that drops its connection mid-upload does. */
function failingBody(chunks: Buffer[]): Readable {
  return Readable.from(
    (async function* () {
      yield* chunks;
      throw new Error('client went away');
    })(),
  );
}

/** `size` random bytes made on the fly, 64 KiB at a time, hashed as they are produced. */
function generatedBody(size: number): { body: Readable; sha256: () => string } {
  const hash = createHash('sha256');
  const body = Readable.from(
    (async function* () {
      for (let left = size; left > 0; left -= 64 * 1024) {
        const chunk = randomBytes(Math.min(left, 64 * 1024));
        hash.update(chunk);
        yield chunk;
      }
    })(),
  );
  return { body, sha256: () => hash.digest('hex') };
}

interface Harness {
  storage: FileStorage;
  /** What a failed write left behind besides objects: partial files on disk, unfinished multipart uploads on S3. */
  leftovers(key: string): Promise<string[]>;
  stop(): Promise<void>;
}

async function startDisk(): Promise<Harness> {
  const root = await mkdtemp(join(tmpdir(), 'files-disk-'));
  const storage = new DiskFileStorage(root);
  return {
    storage,
    leftovers: async (key) => (await readdir(root, { recursive: true })).filter((name) => name.startsWith(`${key}.`) && name.endsWith('.part')),
    stop: () => rm(root, { recursive: true, force: true }),
  };
}

/**
 * A real S3-protocol server (s3rver) on a free port of 127.0.0.1, storing under a temporary folder.
 * Its requests are logged so a test can see that a failed multipart upload was aborted.
 */
async function startS3(): Promise<Harness> {
  const directory = await mkdtemp(join(tmpdir(), 'files-s3-'));
  const s3rver = new S3rver({ directory, silent: true });
  const handle = s3rver.callback();
  const requests: { method: string; path: string; query: URLSearchParams }[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url!, 'http://s3');
    requests.push({ method: request.method!, path: decodeURIComponent(url.pathname), query: url.searchParams });
    handle(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const settings = {
    bucket: 'chat-files',
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    // s3rver's built-in account.
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
  };
  const admin = new S3Client({ ...settings, credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey } });
  await admin.send(new CreateBucketCommand({ Bucket: settings.bucket }));
  admin.destroy();
  const storage = new S3FileStorage(settings);
  return {
    storage,
    // Multipart uploads begun (POST ?uploads) and never completed (POST ?uploadId) nor aborted (DELETE ?uploadId).
    leftovers: async (key) => {
      const open = new Map<string, number>();
      for (const { method, path, query } of requests.filter((request) => request.path === `/${settings.bucket}/${key}`)) {
        const delta = method === 'POST' && query.has('uploads') ? 1 : query.has('uploadId') && method !== 'PUT' ? -1 : 0;
        if (delta) open.set(path, (open.get(path) ?? 0) + delta);
      }
      return [...open].filter(([, count]) => count > 0).map(([path]) => path);
    },
    stop: async () => {
      storage.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(directory, { recursive: true, force: true });
    },
  };
}

describe.each([
  { adapter: 'disk', start: startDisk },
  { adapter: 's3', start: startS3 },
])('FileStorage contract: $adapter', ({ start }) => {
  let harness: Harness;
  let storage: FileStorage;
  beforeAll(async () => {
    harness = await start();
    storage = harness.storage;
  });
  afterAll(() => harness?.stop());

  it('stores a body and reads it back whole, by range and by size', async () => {
    const key = newKey();
    const bytes = Buffer.from('0123456789abcdef');
    await expect(storage.put(key, Readable.from([bytes.subarray(0, 5), bytes.subarray(5)]), { contentType: 'text/plain' })).resolves.toEqual({ size: 16 });

    expect(await read(storage, key)).toEqual(bytes);
    expect((await read(storage, key, { start: 2, end: 5 }))?.toString()).toBe('2345');
    expect((await read(storage, key, { start: 15, end: 15 }))?.toString()).toBe('f');
    expect(await storage.size(key)).toBe(16);
  });

  it('answers null for a key that was never stored', async () => {
    const key = newKey();
    expect(await storage.get(key)).toBeNull();
    expect(await storage.get(key, { start: 0, end: 3 })).toBeNull();
    expect(await storage.size(key)).toBeNull();
  });

  it('deletes, and deleting again or deleting a missing key is not an error', async () => {
    const key = newKey();
    await storage.put(key, Readable.from([Buffer.from('bye')]), { contentType: 'text/plain' });
    await storage.delete(key);
    expect(await storage.get(key)).toBeNull();
    expect(await storage.size(key)).toBeNull();
    await expect(storage.delete(key)).resolves.toBeUndefined();
    await expect(storage.delete(newKey())).resolves.toBeUndefined();
  });

  it('overwrites an existing key with the new bytes', async () => {
    const key = newKey();
    await storage.put(key, Readable.from([Buffer.from('first version, longer')]), { contentType: 'text/plain' });
    await storage.put(key, Readable.from([Buffer.from('second')]), { contentType: 'text/plain' });
    expect((await read(storage, key))?.toString()).toBe('second');
    expect(await storage.size(key)).toBe(6);
  });

  it('stores a 12 MB streamed body and gives back the same bytes', { timeout: 60_000 }, async () => {
    const key = newKey();
    const size = 12 * MiB;
    const generated = generatedBody(size);
    await expect(storage.put(key, generated.body, { contentType: 'application/octet-stream' })).resolves.toEqual({ size });
    expect(await storage.size(key)).toBe(size);

    const stored = createHash('sha256');
    for await (const chunk of (await storage.get(key))!) stored.update(chunk as Buffer);
    expect(stored.digest('hex')).toBe(generated.sha256());

    const tail = await read(storage, key, { start: size - 10, end: size - 1 });
    expect(tail).toHaveLength(10);
  });

  it('leaves nothing when the body fails early', async () => {
    const key = newKey();
    await expect(storage.put(key, failingBody([Buffer.from('partial')]), { contentType: 'text/plain' })).rejects.toThrow('client went away');
    expect(await storage.get(key)).toBeNull();
    expect(await storage.size(key)).toBeNull();
    expect(await harness.leftovers(key)).toEqual([]);
  });

  it('leaves nothing when the body fails after several parts were sent', { timeout: 60_000 }, async () => {
    const key = newKey();
    // Several 5 MiB parts on S3, so a multipart upload is under way when the body fails.
    const chunks = Array.from({ length: 20 }, () => randomBytes(MiB));
    await expect(storage.put(key, failingBody(chunks), { contentType: 'application/octet-stream' })).rejects.toThrow('client went away');
    expect(await storage.get(key)).toBeNull();
    expect(await storage.size(key)).toBeNull();
    expect(await harness.leftovers(key)).toEqual([]);
  });

  it('keeps the previous object when an overwrite fails', async () => {
    const key = newKey();
    await storage.put(key, Readable.from([Buffer.from('kept')]), { contentType: 'text/plain' });
    await expect(storage.put(key, failingBody([Buffer.from('replacement')]), { contentType: 'text/plain' })).rejects.toThrow();
    expect((await read(storage, key))?.toString()).toBe('kept');
  });

  it('leaves nothing when the body is destroyed without an error', async () => {
    const key = newKey();
    const body = new Readable({ read() {} });
    body.push(Buffer.from('half a file'));
    const stored = storage.put(key, body, { contentType: 'text/plain' });
    setImmediate(() => body.destroy());
    await expect(stored).rejects.toThrow();
    expect(await storage.get(key)).toBeNull();
    expect(await harness.leftovers(key)).toEqual([]);
  });

  it.each(['../etc/passwd', '/absolute', 'a/../b', 'a//b', 'UPPER', 'a/b/', '', 'x'.repeat(201)])('rejects the key %j in every operation', async (key) => {
    const body = Readable.from([Buffer.from('x')]);
    await expect(storage.put(key, body, { contentType: 'text/plain' })).rejects.toThrow('invalid storage key');
    await expect(storage.get(key)).rejects.toThrow('invalid storage key');
    await expect(storage.size(key)).rejects.toThrow('invalid storage key');
    await expect(storage.delete(key)).rejects.toThrow('invalid storage key');
    const options = { fileName: 'a.txt', contentType: 'text/plain', disposition: 'attachment', expiresInSeconds: 60 } as const;
    await expect(storage.signedUrl(key, options)).rejects.toThrow('invalid storage key');
  });
});

describe('signed URLs', () => {
  let s3: Harness;
  let disk: Harness;
  beforeAll(async () => {
    [s3, disk] = await Promise.all([startS3(), startDisk()]);
  });
  afterAll(() => Promise.all([s3?.stop(), disk?.stop()]));

  it('S3 hands out a URL that plain fetch downloads with the requested name and type', async () => {
    const key = newKey();
    await s3.storage.put(key, Readable.from([Buffer.from('%PDF-1.7 report')]), { contentType: 'application/octet-stream' });
    const url = await s3.storage.signedUrl(key, {
      fileName: 'résumé "final".pdf',
      contentType: 'application/pdf',
      disposition: 'attachment',
      expiresInSeconds: 60,
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);

    const response = await fetch(url!);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).toString()).toBe('%PDF-1.7 report');
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="r?sum? \\"final\\".pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22.pdf`,
    );
  });

  it('S3 signs inline disposition too', async () => {
    const key = newKey();
    await s3.storage.put(key, Readable.from([Buffer.from('png bytes')]), { contentType: 'image/png' });
    const url = await s3.storage.signedUrl(key, { fileName: 'cat.png', contentType: 'image/png', disposition: 'inline', expiresInSeconds: 60 });
    const response = await fetch(url!);
    expect(response.headers.get('content-disposition')).toBe('inline; filename=cat.png');
  });

  it('S3 signs the URL for the requested lifetime', async () => {
    const key = newKey();
    await s3.storage.put(key, Readable.from([Buffer.from('short-lived')]), { contentType: 'text/plain' });
    const url = new URL((await s3.storage.signedUrl(key, { fileName: 'a.txt', contentType: 'text/plain', disposition: 'attachment', expiresInSeconds: 90 }))!);
    // s3rver does not check V4 signatures, so only the URL's terms can be checked here.
    expect(url.searchParams.get('X-Amz-Expires')).toBe('90');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(url.searchParams.get('response-content-disposition')).toBe('attachment; filename=a.txt');
  });

  it('disk has no URL of its own: downloads stream through the server', async () => {
    const key = newKey();
    await disk.storage.put(key, Readable.from([Buffer.from('local')]), { contentType: 'text/plain' });
    expect(await disk.storage.signedUrl(key, { fileName: 'a.txt', contentType: 'text/plain', disposition: 'attachment', expiresInSeconds: 60 })).toBeNull();
  });
});
