import { randomBytes, randomUUID } from 'node:crypto';
import { files } from '@chat/db';
import type { UploadedFile } from '@chat/shared';
import { eq, inArray, sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileStorage } from '../src/infra/storage/file-storage';
import { UnattachedFilesSweeper } from '../src/modules/files/unattached-files.sweeper';
import { bearer, createGroup, registerUsers, type SignedIn } from './support/builders';
import { dbProbe } from './support/db-probe';
import { useS3Server } from './support/s3-server';
import { startTestCluster, type TestApp, useTestApp } from './support/test-app';

const MiB = 1024 * 1024;
/** Past S3's 5 MiB part size, so a refused upload has already sent a part of a multipart upload. */
const MAX_UPLOAD_BYTES = 6 * MiB;
/** How long a thumbnail may take before the test gives up waiting: a bound, not a measurement. */
const THUMBNAIL_DEADLINE_MS = 20_000;

const pngOf = (background: string) =>
  sharp({ create: { width: 600, height: 300, channels: 3, background } })
    .png()
    .toBuffer();
const text = () => Buffer.from(`meeting notes ${randomUUID()}\n`, 'utf8');

async function upload(target: TestApp, user: SignedIn, body: Buffer, name: string): Promise<UploadedFile> {
  const res = await target.http().post('/api/files').set(bearer(user)).attach('file', body, name);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as UploadedFile;
}

/** The route's answer: on S3 a 302 to the storage itself, never the bytes. */
async function redirectOf(target: TestApp, user: SignedIn, path: string): Promise<string> {
  const res = await target.http().get(path).set(bearer(user));
  expect(res.status, `${path}: ${res.status} ${JSON.stringify(res.body)}`).toBe(302);
  expect(res.headers['cache-control']).toBe('no-store');
  return res.headers.location;
}

/** The header as content-disposition writes it: a plain name needs no quotes. */
const disposition = (type: 'inline' | 'attachment', fileName: string) => `${type}; filename=${fileName}`;

/** Fetches a presigned URL as a browser would after the redirect: no credentials of ours. */
async function fetchSigned(url: string) {
  const res = await fetch(url);
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

describe('files on S3-compatible storage (PostgreSQL + Redis)', () => {
  const s3 = useS3Server();
  const app = useTestApp(async () => ({ ...s3.env, MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES), UPLOAD_RATE_LIMIT: '100000', MESSAGE_RATE_LIMIT: '100000' }));
  const http = () => app.http();

  async function thumbnailRedirect(user: SignedIn, id: string): Promise<string> {
    const deadline = Date.now() + THUMBNAIL_DEADLINE_MS;
    while (Date.now() < deadline) {
      const res = await http().get(`/api/files/${id}/thumbnail`).set(bearer(user));
      if (res.status === 302) return res.headers.location;
      expect(res.status).toBe(404);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no thumbnail for ${id}`);
  }

  const keysOf = async (ids: string[]) =>
    dbProbe(app).db.select({ id: files.id, storageKey: files.storageKey, thumbnailKey: files.thumbnailKey }).from(files).where(inArray(files.id, ids));

  it('stores uploads in the bucket and redirects their uploader to the same bytes, inline for an image and as an attachment for text', async () => {
    expect(app.app.get(FileStorage).kind).toBe('s3');
    const [ann] = await registerUsers(app, 1);
    const picture = await pngOf('#3366cc');
    const notes = text();
    const photo = await upload(app, ann, picture, 'photo.png');
    const doc = await upload(app, ann, notes, 'notes.txt');
    expect(photo).toMatchObject({ name: 'photo.png', size: picture.length, mimeType: 'image/png' });
    expect(doc).toMatchObject({ name: 'notes.txt', size: notes.length, mimeType: 'text/plain' });

    const [photoKeys, docKeys] = [(await keysOf([photo.id]))[0], (await keysOf([doc.id]))[0]];
    expect(await s3.keys()).toEqual(expect.arrayContaining([photoKeys.storageKey, docKeys.storageKey]));

    const image = await fetchSigned(await redirectOf(app, ann, `/api/files/${photo.id}`));
    expect(image.status).toBe(200);
    expect(image.body.equals(picture)).toBe(true);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('content-disposition')).toBe(disposition('inline', 'photo.png'));

    const attachment = await fetchSigned(await redirectOf(app, ann, `/api/files/${doc.id}`));
    expect(attachment.status).toBe(200);
    expect(attachment.body.equals(notes)).toBe(true);
    expect(attachment.headers.get('content-disposition')).toBe(disposition('attachment', 'notes.txt'));
  });

  it('answers 404, not a redirect, to someone who may not read the file', async () => {
    const [ann, outsider] = await registerUsers(app, 2);
    const doc = await upload(app, ann, text(), 'private.txt');

    for (const path of [`/api/files/${doc.id}`, `/api/files/${doc.id}/thumbnail`]) {
      const res = await http().get(path).set(bearer(outsider));
      expect(res.status).toBe(404);
      expect(res.headers.location).toBeUndefined();
    }
    expect((await http().get(`/api/files/${randomUUID()}`).set(bearer(ann))).status).toBe(404);
  });

  it('refuses a file past MAX_UPLOAD_BYTES with 413 and leaves no object in the bucket', async () => {
    const [ann] = await registerUsers(app, 1);
    const uploadsBefore = (await s3.keys()).filter((key) => key.startsWith('f/'));

    const res = await http()
      .post('/api/files')
      .set(bearer(ann))
      .attach('file', randomBytes(MAX_UPLOAD_BYTES + 16 * 1024), 'too-big.bin');

    expect(res.status, JSON.stringify(res.body)).toBe(413);
    expect((await s3.keys()).filter((key) => key.startsWith('f/'))).toEqual(uploadsBefore);
    // The storage still takes the next upload.
    await upload(app, ann, text(), 'after.txt');
  });

  it('makes the thumbnail of a PNG in the bucket and redirects to it as WebP', async () => {
    const [ann, outsider] = await registerUsers(app, 2);
    const photo = await upload(app, ann, await pngOf('#cc6633'), 'sunset.png');

    const thumbnail = await fetchSigned(await thumbnailRedirect(ann, photo.id));

    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get('content-type')).toBe('image/webp');
    expect(thumbnail.headers.get('content-disposition')).toBe(disposition('inline', 'sunset.webp'));
    const meta = await sharp(thumbnail.body).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 400, height: 200 });
    const [{ thumbnailKey }] = await keysOf([photo.id]);
    expect(await s3.keys()).toContain(thumbnailKey);
    expect((await http().get(`/api/files/${photo.id}/thumbnail`).set(bearer(outsider))).status).toBe(404);
  });

  it('lets another member read an attached file until its message is deleted, which takes it out of the bucket', async () => {
    const [ann, ben] = await registerUsers(app, 2);
    const { id: conversationId } = await createGroup<{ id: string }>(app, ann, [ben]);
    const notes = text();
    const doc = await upload(app, ann, notes, 'agenda.txt');
    expect((await http().get(`/api/files/${doc.id}`).set(bearer(ben))).status).toBe(404);

    const sent = await http()
      .post(`/api/conversations/${conversationId}/messages`)
      .set(bearer(ann))
      .send({ clientMessageId: randomUUID(), content: 'agenda', attachmentIds: [doc.id] });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);

    const read = await fetchSigned(await redirectOf(app, ben, `/api/files/${doc.id}`));
    expect(read.body.equals(notes)).toBe(true);

    const [{ storageKey }] = await keysOf([doc.id]);
    expect(await s3.keys()).toContain(storageKey);

    await http().delete(`/api/conversations/${conversationId}/messages/${sent.body.id}`).set(bearer(ann)).expect(204);
    for (const user of [ben, ann]) {
      const res = await http().get(`/api/files/${doc.id}`).set(bearer(user));
      expect(res.status).toBe(404);
      expect(res.headers.location).toBeUndefined();
    }
    expect(await keysOf([doc.id])).toEqual([]);
    expect(await s3.keys()).not.toContain(storageKey);
  });

  it('sweeps files never attached out of the bucket, with their thumbnails, and keeps attached ones', async () => {
    const [ann, ben] = await registerUsers(app, 2);
    const { id: conversationId } = await createGroup<{ id: string }>(app, ann, [ben]);
    const draft = await upload(app, ann, text(), 'draft.txt');
    const photo = await upload(app, ann, await pngOf('#33cc66'), 'forgotten.png');
    const kept = await upload(app, ann, text(), 'kept.txt');
    await thumbnailRedirect(ann, photo.id);
    const sent = await http()
      .post(`/api/conversations/${conversationId}/messages`)
      .set(bearer(ann))
      .send({ clientMessageId: randomUUID(), content: 'kept', attachmentIds: [kept.id] });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);

    const old = [draft.id, photo.id, kept.id];
    await dbProbe(app)
      .db.update(files)
      .set({ createdAt: sql`now() - interval '2 days'` })
      .where(inArray(files.id, old));
    const keys = await keysOf(old);
    const keyOf = (id: string) => keys.find((row) => row.id === id)!;
    const swept = [keyOf(draft.id).storageKey, keyOf(photo.id).storageKey, keyOf(photo.id).thumbnailKey!];
    expect(await s3.keys()).toEqual(expect.arrayContaining([...swept, keyOf(kept.id).storageKey]));

    expect(await app.app.get(UnattachedFilesSweeper).sweep()).toBeGreaterThanOrEqual(2);

    const remaining = await s3.keys();
    for (const key of swept) expect(remaining).not.toContain(key);
    expect(remaining).toContain(keyOf(kept.id).storageKey);
    expect(await dbProbe(app).db.$count(files, eq(files.id, draft.id))).toBe(0);
    expect((await http().get(`/api/files/${photo.id}`).set(bearer(ann))).status).toBe(404);
    expect((await http().get(`/api/files/${kept.id}`).set(bearer(ben))).status).toBe(302);
  });
});

describe('files on S3-compatible storage across two nodes (PostgreSQL + Redis)', () => {
  const s3 = useS3Server();
  let cluster: Awaited<ReturnType<typeof startTestCluster>> | undefined;
  beforeAll(async () => {
    cluster = await startTestCluster(2, { ...s3.env, UPLOAD_RATE_LIMIT: '1000', MESSAGE_RATE_LIMIT: '1000' });
  });
  afterAll(() => cluster?.close());
  const node = (i: number) => cluster!.nodes[i];

  it('downloads through one node what was uploaded through the other, from the one bucket', async () => {
    const [ann] = await registerUsers(node(0), 1);
    const picture = await pngOf('#6633cc');
    const photo = await upload(node(0), ann, picture, 'shared.png');

    const fromTwo = await fetchSigned(await redirectOf(node(1), ann, `/api/files/${photo.id}`));

    expect(fromTwo.status).toBe(200);
    expect(fromTwo.body.equals(picture)).toBe(true);
    expect(fromTwo.headers.get('content-disposition')).toBe(disposition('inline', 'shared.png'));
  });
});
