import { randomBytes, randomUUID } from 'node:crypto';
import { files } from '@chat/db';
import type { UploadedFile } from '@chat/shared';
import { eq, inArray, sql } from 'drizzle-orm';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { FileStorage } from '../src/infra/storage/file-storage';
import { UnattachedFilesSweeper } from '../src/modules/files/unattached-files.sweeper';
import { bearer, createGroup, registerUsers, type SignedIn } from './support/builders';
import { dbProbe } from './support/db-probe';
import { useTestApp } from './support/test-app';

describe('files no message took', () => {
  const app = useTestApp({ UPLOAD_RATE_LIMIT: '100000', MESSAGE_RATE_LIMIT: '100000' });
  const http = () => app.http();

  async function upload(user: SignedIn, body: Buffer, name: string): Promise<UploadedFile> {
    const res = await http().post('/api/files').set(bearer(user)).attach('file', body, name);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as UploadedFile;
  }

  async function thumbnailReady(user: SignedIn, id: string) {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if ((await http().get(`/api/files/${id}/thumbnail`).set(bearer(user))).status === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no thumbnail for ${id}`);
  }

  it('removes files never attached after a day, with their stored bytes and thumbnails, and keeps attached and recent ones', async () => {
    const [ann, ben] = await registerUsers(app, 2);
    const group = await createGroup<{ id: string }>(app, ann, [ben]);
    const draft = await upload(ann, Buffer.from(`an abandoned draft ${randomUUID()}`), 'draft.txt');
    const picture = await sharp({ create: { width: 600, height: 300, channels: 3, background: '#3366cc' } })
      .png()
      .toBuffer();
    const photo = await upload(ann, Buffer.concat([picture, randomBytes(8)]), 'photo.png');
    const sent = await upload(ann, Buffer.from(`sent along ${randomUUID()}`), 'sent.txt');
    const fresh = await upload(ann, Buffer.from(`uploaded a minute ago ${randomUUID()}`), 'fresh.txt');
    await thumbnailReady(ann, photo.id);
    const res = await http()
      .post(`/api/conversations/${group.id}/messages`)
      .set(bearer(ann))
      .send({ clientMessageId: randomUUID(), content: 'here', attachmentIds: [sent.id] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);

    const { db } = dbProbe(app);
    const old = [draft.id, photo.id, sent.id];
    await db
      .update(files)
      .set({ createdAt: sql`now() - interval '2 days'` })
      .where(inArray(files.id, old));
    const keys = await db.select({ id: files.id, storageKey: files.storageKey, thumbnailKey: files.thumbnailKey }).from(files).where(inArray(files.id, old));
    const keyOf = (id: string) => keys.find((row) => row.id === id)!;
    expect(keyOf(photo.id).thumbnailKey).not.toBeNull();

    expect(await app.app.get(UnattachedFilesSweeper).sweep()).toBeGreaterThanOrEqual(2);

    const storage = app.app.get(FileStorage);
    for (const gone of [draft, photo]) {
      expect((await http().get(`/api/files/${gone.id}`).set(bearer(ann))).status).toBe(404);
      expect(await db.$count(files, eq(files.id, gone.id))).toBe(0);
      expect(await storage.size(keyOf(gone.id).storageKey)).toBeNull();
    }
    expect(await storage.size(keyOf(photo.id).thumbnailKey!)).toBeNull();
    // Attached a day ago, or uploaded just now: both stay.
    expect((await http().get(`/api/files/${sent.id}`).set(bearer(ben))).status).toBe(200);
    expect((await http().get(`/api/files/${fresh.id}`).set(bearer(ann))).status).toBe(200);
    expect(await storage.size(keyOf(sent.id).storageKey)).not.toBeNull();
  });
});
