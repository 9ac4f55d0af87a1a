import { files } from '@chat/db';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import type { Response } from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { MemoryThumbnailQueue, RedisThumbnailQueue, ThumbnailQueue } from '../src/modules/files/thumbnails/thumbnail-queue';
import { bearer, registerUser, registerUsers, type SignedIn } from './support/builders';
import { dbProbe } from './support/db-probe';
import { pngDeclaring } from './support/png-bytes';
import { createTestInfra, infraMode } from './support/infra';
import { startTestApp, type TestApp, useTestApp } from './support/test-app';

/** How long a thumbnail may take before the test gives up waiting: a bound, not a measurement. */
const WAIT = { timeout: 20_000, interval: 100 };

const BOUNDARY = '----chat-thumbnail-boundary';

function multipartFile(filename: string, body: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    body,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

const binary = (res: Response, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (data: Buffer) => chunks.push(data));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

interface UploadedFile {
  id: string;
  mimeType: string;
  width?: number;
  height?: number;
  thumbnailUrl?: string;
}

describe('thumbnails', () => {
  const app = useTestApp({ UPLOAD_RATE_LIMIT: '100000' });

  async function upload(user: SignedIn, filename: string, body: Buffer, target: TestApp = app): Promise<UploadedFile> {
    const res = await target
      .http()
      .post('/api/files')
      .set(bearer(user))
      .set('Content-Type', `multipart/form-data; boundary=${BOUNDARY}`)
      .send(multipartFile(filename, body));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as UploadedFile;
  }

  const thumbnail = (user: SignedIn, id: string, target: TestApp = app) =>
    target.http().get(`/api/files/${id}/thumbnail`).set(bearer(user)).buffer(true).parse(binary);
  const info = async (user: SignedIn, id: string) => (await app.http().get(`/api/files/${id}/info`).set(bearer(user)).expect(200)).body as UploadedFile;

  async function thumbnailOnceReady(user: SignedIn, id: string, target: TestApp = app) {
    let res!: Response;
    await vi.waitFor(async () => {
      res = await thumbnail(user, id, target);
      expect(res.status).toBe(200);
    }, WAIT);
    return res;
  }

  /** Waits until the worker has dealt with the file, then gives its recorded state. */
  async function settledState(id: string, target: TestApp = app) {
    const { db } = dbProbe(target);
    let state: string | null = 'pending';
    await vi.waitFor(async () => {
      const [row] = await db.select({ state: files.thumbnailState }).from(files).where(eq(files.id, id));
      state = row?.state ?? null;
      expect(state).not.toBe('pending');
    }, WAIT);
    return state;
  }

  it('takes its queue from the deployment: Redis with PostgreSQL and Redis, in-process when embedded', () => {
    const queue = app.app.get(ThumbnailQueue);
    expect(queue).toBeInstanceOf(infraMode() === 'postgres' ? RedisThumbnailQueue : MemoryThumbnailQueue);
  });

  it('makes an upright WebP thumbnail of a large JPEG in the background and serves it to whoever may read the file', async () => {
    const [ann, ben] = await registerUsers(app, 2);
    const jpeg = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: { r: 10, g: 120, b: 200 } } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const file = await upload(ann, 'portrait.jpg', jpeg);
    expect(file.mimeType).toBe('image/jpeg');

    const res = await thumbnailOnceReady(ann, file.id);
    expect(res.headers['content-type']).toBe('image/webp');
    expect(res.headers['content-disposition']).toMatch(/^inline; filename="portrait\.webp"/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect(res.headers.etag).toBe(`"${file.id}-thumbnail"`);
    const image = await sharp(res.body as Buffer).metadata();
    expect(image.format).toBe('webp');
    expect(Math.max(image.width, image.height)).toBeLessThanOrEqual(400);
    // Upright: the original is stored landscape with "rotate 90°" in its EXIF.
    expect(image.height).toBeGreaterThan(image.width);

    expect(await info(ann, file.id)).toMatchObject({ width: 2000, height: 3000, thumbnailUrl: `/api/files/${file.id}/thumbnail` });
    expect((await thumbnail(ann, file.id).set('If-None-Match', res.headers.etag)).status).toBe(304);
    expect((await thumbnail(ben, file.id)).status).toBe(404);
    expect((await app.http().get(`/api/files/${file.id}/info`).set(bearer(ben))).status).toBe(404);
  });

  it('never makes a thumbnail of a PNG declaring 60000x60000 pixels, and the server keeps answering', async () => {
    const ann = await registerUser(app);
    const bomb = await upload(ann, 'bomb.png', pngDeclaring(60_000, 60_000));
    expect(bomb.mimeType).toBe('image/png');

    expect(await settledState(bomb.id)).toBe('none');
    expect((await thumbnail(ann, bomb.id)).status).toBe(404);
    expect(await info(ann, bomb.id)).not.toHaveProperty('thumbnailUrl');

    // Still answering, and still making thumbnails.
    expect((await app.http().get('/health/live')).status).toBe(200);
    const small = await upload(
      ann,
      'small.png',
      await sharp({ create: { width: 100, height: 50, channels: 4, background: '#fff' } })
        .png()
        .toBuffer(),
    );
    const res = await thumbnailOnceReady(ann, small.id);
    const image = await sharp(res.body as Buffer).metadata();
    expect([image.width, image.height]).toEqual([100, 50]);
  });

  it('gives no thumbnail to an image that does not decode, nor to a file that is not an image', async () => {
    const ann = await registerUser(app);
    const broken = await upload(ann, 'broken.png', Buffer.concat([pngDeclaring(60_000, 60_000).subarray(0, 16), Buffer.from('garbage'.repeat(1000))]));
    expect(broken.mimeType).toBe('image/png');
    expect(await settledState(broken.id)).toBe('none');
    expect((await thumbnail(ann, broken.id)).status).toBe(404);

    const text = await upload(ann, 'notes.txt', Buffer.from('just some words\n'));
    expect(text.mimeType).toBe('text/plain');
    expect(await settledState(text.id)).toBeNull();
    expect((await thumbnail(ann, text.id)).status).toBe(404);
    expect(await info(ann, text.id)).not.toHaveProperty('thumbnailUrl');
  });

  it('makes the thumbnails still pending when a node starts again', async () => {
    const infra = await createTestInfra();
    const env = { UPLOAD_RATE_LIMIT: '100000' };
    try {
      const before = await startTestApp(env, infraMode(), infra);
      const ann = await registerUser(before);
      const file = await upload(
        ann,
        'late.png',
        await sharp({ create: { width: 900, height: 300, channels: 3, background: '#123456' } })
          .png()
          .toBuffer(),
        before,
      );
      expect(await settledState(file.id, before)).toBe('ready');
      // As if the node had stopped before its worker got to the file: an in-process queue is gone with it.
      await dbProbe(before).db.update(files).set({ thumbnailState: 'pending', thumbnailKey: null }).where(eq(files.id, file.id));
      await before.close();

      const after = await startTestApp(env, infraMode(), infra);
      try {
        const res = await thumbnailOnceReady(ann, file.id, after);
        const image = await sharp(res.body as Buffer).metadata();
        expect([image.width, image.height]).toEqual([400, 133]);
      } finally {
        await after.close();
      }
    } finally {
      await infra.dispose();
    }
  });

  it('documents the thumbnail route in Swagger', async () => {
    const { paths } = (await app.http().get('/api/docs-json')).body as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    const route = paths['/api/files/{id}/thumbnail']?.get;
    expect(Object.keys(route?.responses ?? {})).toEqual(expect.arrayContaining(['200', '302', '304', '401', '404']));
    expect(paths['/api/files/{id}/info']?.get).toBeDefined();
  });
});
