import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { files } from '@chat/db';
import { eq } from 'drizzle-orm';
import type { Response } from 'supertest';
import { request as httpRequest } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import { bearer, createGroup, registerUser, registerUsers, sendMessage, type SignedIn } from './support/builders';
import { dbProbe } from './support/db-probe';
import { type TestApp, useTestApp } from './support/test-app';

const MAX_UPLOAD_BYTES = 64 * 1024;

/** A 1x1 PNG, then random bytes past the sniffing window so the upload streams in several chunks. */
const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const png = (extraBytes = 20_000) => Buffer.concat([PNG_1X1, randomBytes(extraBytes)]);

interface Part {
  field: string;
  /** A file part when set (sent as is, path and all); a text field otherwise. */
  filename?: string;
  /** Sent as `filename*=UTF-8''...` (RFC 5987), which may carry any character. */
  encodedFilename?: string;
  contentType?: string;
  body: Buffer | string;
}

const BOUNDARY = '----chat-test-boundary-7d1f0c';

/** A multipart/form-data body written by hand, so the test controls every byte the client sends. */
function multipart(parts: Part[]): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const isFile = part.filename !== undefined || part.encodedFilename !== undefined;
    const name = part.encodedFilename === undefined ? `; filename="${part.filename}"` : `; filename*=UTF-8''${encodeURIComponent(part.encodedFilename)}`;
    const disposition = `form-data; name="${part.field}"${isFile ? name : ''}`;
    const type = isFile ? `Content-Type: ${part.contentType ?? 'application/octet-stream'}\r\n` : '';
    chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`), Buffer.from(part.body), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

/** Every object in the app's file storage (disk), as paths under its root; temporary files included. */
function storedObjects(app: TestApp): string[] {
  const root = join(app.config.dataDir, 'files');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

/** A complete object under its server-made key (not a temporary file of a write in progress). */
const STORED_KEY = /^f\/[0-9a-f-]{36}$/;

/** supertest hands binary bodies over as Buffers only when asked. */
const binary = (res: Response, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

describe('files', () => {
  const app = useTestApp({ MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES), UPLOAD_RATE_LIMIT: '100000', MESSAGE_RATE_LIMIT: '100000' });
  const http = () => app.http();

  const upload = (user: SignedIn, parts: Part[]) =>
    http().post('/api/files').set(bearer(user)).set('Content-Type', `multipart/form-data; boundary=${BOUNDARY}`).send(multipart(parts));

  async function uploaded(user: SignedIn, body: Buffer, filename: string, contentType?: string) {
    const res = await upload(user, [{ field: 'file', filename, contentType, body }]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; name: string; size: number; mimeType: string };
  }

  const download = (user: SignedIn | null, id: string) => {
    const req = http().get(`/api/files/${id}`).buffer(true).parse(binary);
    return user ? req.set(bearer(user)) : req;
  };

  it('stores a PNG and gives it back byte for byte to its uploader, with the serving headers', async () => {
    const ann = await registerUser(app);
    const bytes = png();
    const file = await uploaded(ann, bytes, 'holiday.png', 'image/png');
    expect(file).toEqual({ id: expect.any(String), name: 'holiday.png', size: bytes.length, mimeType: 'image/png' });

    const res = await download(ann, file.id);
    expect(res.status).toBe(200);
    expect(Buffer.compare(res.body as Buffer, bytes)).toBe(0);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['content-length']).toBe(String(bytes.length));
    expect(res.headers['content-disposition']).toBe(`inline; filename="holiday.png"; filename*=UTF-8''holiday.png`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect(res.headers['cache-control']).toMatch(/^private, max-age=\d+$/);
    expect(res.headers.etag).toBe(`"${file.id}"`);

    const head = await http().head(`/api/files/${file.id}`).set(bearer(ann));
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(bytes.length));
    expect(head.headers['content-type']).toBe('image/png');
  });

  it('answers 404 to anyone but the uploader of an unattached file, and 401 without credentials', async () => {
    const [ann, ben] = await registerUsers(app, 2);
    const file = await uploaded(ann, png(), 'private.png');

    const stranger = await download(ben, file.id);
    expect(stranger.status).toBe(404);
    expect(JSON.parse((stranger.body as Buffer).toString())).toMatchObject({ statusCode: 404, code: 'FILE_NOT_FOUND' });
    // The same answer as for a file that does not exist at all.
    expect((await download(ben, randomUUID())).status).toBe(404);
    expect((await download(null, file.id)).status).toBe(401);
    expect((await http().post('/api/files').set('Content-Type', `multipart/form-data; boundary=${BOUNDARY}`).send(multipart([]))).status).toBe(401);
  });

  it('lets current members of the conversation of its message read an attached file, and nobody once the message is deleted', async () => {
    const [ann, ben, cat, dan] = await registerUsers(app, 4);
    const group = await createGroup<{ id: string }>(app, ann, [ben, cat], { title: 'Photos' });
    const message = await sendMessage(app, ann, group.id, 'a photo');
    const file = await uploaded(ann, png(), 'photo.png');
    // The attach step will set these columns; the read rule already honours them.
    const { db } = dbProbe(app);
    await db.update(files).set({ messageId: message.id, conversationId: group.id, attachedAt: new Date() }).where(eq(files.id, file.id));
    await http().delete(`/api/conversations/${group.id}/leave`).set(bearer(cat)).expect(204);

    expect((await download(ann, file.id)).status).toBe(200);
    expect((await download(ben, file.id)).status).toBe(200);
    expect((await download(cat, file.id)).status).toBe(404);
    expect((await download(dan, file.id)).status).toBe(404);

    await http().delete(`/api/conversations/${group.id}/messages/${message.id}`).set(bearer(ann)).expect(204);
    expect((await download(ben, file.id)).status).toBe(404);
    expect((await download(ann, file.id)).status).toBe(404);
  });

  it('refuses a file past MAX_UPLOAD_BYTES with 413 and keeps nothing of it', async () => {
    const ann = await registerUser(app);
    const { db } = dbProbe(app);
    const rowsBefore = await db.$count(files);
    const objectsBefore = storedObjects(app);

    const res = await upload(ann, [{ field: 'file', filename: 'big.bin', body: randomBytes(MAX_UPLOAD_BYTES + 1) }]);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large', code: 'FILE_TOO_LARGE' });
    // The rest of an oversized body is not read: the connection closes after the answer.
    expect(res.headers.connection).toBe('close');
    expect(await db.$count(files)).toBe(rowsBefore);
    expect(storedObjects(app)).toEqual(objectsBefore);

    // Exactly the limit is allowed.
    const exact = await uploaded(ann, randomBytes(MAX_UPLOAD_BYTES), 'exact.bin');
    expect(exact.size).toBe(MAX_UPLOAD_BYTES);
    expect(storedObjects(app)).toHaveLength(objectsBefore.length + 1);
  });

  it('reads the type from the bytes: a PNG named .exe is an image, an HTML page named .png is neither an image nor HTML', async () => {
    const ann = await registerUser(app);
    const disguisedPng = await uploaded(ann, png(), 'setup.exe', 'application/x-msdownload');
    expect(disguisedPng.mimeType).toBe('image/png');
    const served = await download(ann, disguisedPng.id);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['content-disposition']).toMatch(/^inline;/);

    const page = '<!doctype html><html><body><script>alert(document.cookie)</script></body></html>';
    const html = await uploaded(ann, Buffer.from(page), 'cat.png', 'image/png');
    expect(html.mimeType).toBe('text/plain');
    const res = await download(ann, html.id);
    expect(res.headers['content-type']).not.toMatch(/image\/png|text\/html/);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="cat.png"; filename*=UTF-8''cat.png`);
    expect((res.body as Buffer).toString()).toBe(page);

    const svg = await uploaded(ann, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), 'logo.svg', 'image/svg+xml');
    expect(svg.mimeType).not.toMatch(/svg|html|xml/);
    const binaryJunk = await uploaded(ann, Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 0, 0]), 'data.txt', 'text/plain');
    expect(binaryJunk.mimeType).toBe('application/octet-stream');
  });

  it('keeps a path-traversal name for display only, sanitised, and stores the bytes under a key of its own', async () => {
    const ann = await registerUser(app);
    const file = await uploaded(ann, Buffer.from('root:x:0:0'), '../../etc/passwd');
    expect(file.name).toBe('passwd');
    const backslashes = await uploaded(ann, Buffer.from('x'), '..\\..\\windows\\win.ini');
    expect(backslashes.name).toBe('win.ini');
    const controls = await upload(ann, [{ field: 'file', encodedFilename: '../re\u0000port\u0007\u001b\u202e.txt\n', body: 'x' }]);
    expect(controls.status).toBe(201);
    expect(controls.body.name).toBe('report.txt');
    const nothingLeft = await uploaded(ann, Buffer.from('x'), '../..');
    expect(nothingLeft.name).toBe('file');
    const long = await uploaded(ann, Buffer.from('x'), `${'é'.repeat(200)}.txt`);
    expect(Buffer.byteLength(long.name)).toBeLessThanOrEqual(255);
    expect(long.name).toBe('é'.repeat(127));

    const { db } = dbProbe(app);
    const [row] = await db.select().from(files).where(eq(files.id, file.id));
    expect(row?.storageKey).toBe(`f/${file.id}`);
    expect(storedObjects(app)).toContain(join('f', file.id));
    expect(storedObjects(app).some((path) => path.includes('passwd') || path.includes('..'))).toBe(false);
    const res = await download(ann, file.id);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="passwd"; filename*=UTF-8''passwd`);
  });

  it('serves one byte range with 206, and 416 for a range past the end', async () => {
    const ann = await registerUser(app);
    const bytes = png(10_000);
    const file = await uploaded(ann, bytes, 'range.png');

    const middle = await download(ann, file.id).set('Range', 'bytes=100-1099');
    expect(middle.status).toBe(206);
    expect(middle.headers['content-range']).toBe(`bytes 100-1099/${bytes.length}`);
    expect(middle.headers['content-length']).toBe('1000');
    expect(Buffer.compare(middle.body as Buffer, bytes.subarray(100, 1100))).toBe(0);

    const tail = await download(ann, file.id).set('Range', 'bytes=-10');
    expect(tail.status).toBe(206);
    expect(Buffer.compare(tail.body as Buffer, bytes.subarray(bytes.length - 10))).toBe(0);

    const open = await download(ann, file.id).set('Range', `bytes=${bytes.length - 5}-`);
    expect(open.status).toBe(206);
    expect(Buffer.compare(open.body as Buffer, bytes.subarray(bytes.length - 5))).toBe(0);

    const past = await download(ann, file.id).set('Range', `bytes=${bytes.length}-`);
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${bytes.length}`);
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const ann = await registerUser(app);
    const file = await uploaded(ann, png(), 'cached.png');
    const first = await download(ann, file.id);
    const again = await download(ann, file.id).set('If-None-Match', first.headers.etag);
    expect(again.status).toBe(304);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect((again.body as Buffer).length).toBe(0);
    expect((await download(ann, file.id).set('If-None-Match', '"something-else"')).status).toBe(200);
  });

  it('refuses with 400 what is not one file in the field "file"', async () => {
    const ann = await registerUser(app);
    const { db } = dbProbe(app);
    const rowsBefore = await db.$count(files);
    const objectsBefore = storedObjects(app);

    const noFile = await upload(ann, [{ field: 'caption', body: 'hello' }]);
    expect(noFile.status).toBe(400);
    expect(noFile.body).toMatchObject({ statusCode: 400, code: 'INVALID_UPLOAD' });
    expect((await upload(ann, [{ field: 'attachment', filename: 'a.png', body: png() }])).status).toBe(400);
    const two = await upload(ann, [
      { field: 'file', filename: 'a.png', body: png() },
      { field: 'file', filename: 'b.png', body: png() },
    ]);
    expect(two.status).toBe(400);
    const json = await http().post('/api/files').set(bearer(ann)).send({ file: 'not a file' });
    expect(json.status).toBe(400);
    const empty = await http().post('/api/files').set(bearer(ann));
    expect(empty.status).toBe(400);
    const cut = await http()
      .post('/api/files')
      .set(bearer(ann))
      .set('Content-Type', `multipart/form-data; boundary=${BOUNDARY}`)
      .send(multipart([{ field: 'file', filename: 'a.png', body: png() }]).subarray(0, 5_000));
    expect(cut.status).toBe(400);

    expect(await db.$count(files)).toBe(rowsBefore);
    expect(storedObjects(app)).toEqual(objectsBefore);
  });

  it('documents both endpoints in Swagger: a multipart body with a binary file, and every answer', async () => {
    const { paths } = (await http().get('/api/docs-json')).body as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> }; responses: object }>>;
    };
    const post = paths['/api/files'].post;
    expect(post.requestBody?.content['multipart/form-data']?.schema).toMatchObject({
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary' } },
    });
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '413', '429']));
    const get = paths['/api/files/{id}'].get;
    expect(Object.keys(get.responses)).toEqual(expect.arrayContaining(['200', '206', '302', '304', '401', '404', '416']));
  });

  it('deletes the stored bytes when the rest of the request turns out wrong after they were stored', async () => {
    const ann = await registerUser(app);
    const { db } = dbProbe(app);
    const rowsBefore = await db.$count(files);
    const objectsBefore = storedObjects(app);
    const whole = multipart([
      { field: 'file', filename: 'a.png', body: png() },
      { field: 'file', filename: 'b.png', body: png() },
    ]);
    // Up to the start of the second part's headers: the first file is complete, the request is not.
    const secondPart = whole.indexOf(`--${BOUNDARY}\r\n`, BOUNDARY.length) + `--${BOUNDARY}\r\n`.length;
    const { port } = new URL(app.baseUrl);
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/files',
          headers: { ...bearer(ann), 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`, 'Transfer-Encoding': 'chunked' },
        },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.write(whole.subarray(0, secondPart));
      // Once the first file is in storage, the second file arrives.
      void vi
        .waitFor(() => expect(storedObjects(app).filter((path) => !objectsBefore.includes(path) && STORED_KEY.test(path))).toHaveLength(1), {
          timeout: 10_000,
        })
        .then(() => req.end(whole.subarray(secondPart)), reject);
    });
    const res = await response;
    expect(res.status, res.body).toBe(400);
    expect(storedObjects(app)).toEqual(objectsBefore);
    expect(await db.$count(files)).toBe(rowsBefore);
  });

  it('answers 400 for an id that is not a uuid', async () => {
    const ann = await registerUser(app);
    expect((await download(ann, 'not-a-uuid')).status).toBe(400);
  });
});

describe('file upload rate limit', () => {
  const app = useTestApp({ UPLOAD_RATE_LIMIT: '2' });

  it('answers 429 with Retry-After past UPLOAD_RATE_LIMIT uploads a minute, per user', async () => {
    const [ann, ben] = await registerUsers(app, 2);
    const send = (user: SignedIn) =>
      app
        .http()
        .post('/api/files')
        .set(bearer(user))
        .set('Content-Type', `multipart/form-data; boundary=${BOUNDARY}`)
        .send(multipart([{ field: 'file', filename: 'a.png', body: png(100) }]));

    expect((await send(ann)).status).toBe(201);
    expect((await send(ann)).status).toBe(201);
    const limited = await send(ann);
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await send(ben)).status).toBe(201);
  });
});
