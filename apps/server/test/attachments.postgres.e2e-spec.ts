import { randomUUID } from 'node:crypto';
import type { UploadedFile } from '@chat/shared';
import { describe, expect, it } from 'vitest';
import { bearer, createGroup, registerUsers, type SignedIn } from './support/builders';
import { collect, emitWithAck } from './support/sockets';
import { useSocketCluster } from './support/socket-suite';
import type { TestApp } from './support/test-app';

describe('attachments across two nodes (PostgreSQL + Redis)', () => {
  const cluster = useSocketCluster(2, { MESSAGE_RATE_LIMIT: '1000', UPLOAD_RATE_LIMIT: '1000' });
  const { node, open } = cluster;

  async function upload(target: TestApp, user: SignedIn, body: Buffer, name: string): Promise<UploadedFile> {
    const res = await target.http().post('/api/files').set(bearer(user)).attach('file', body, name);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as UploadedFile;
  }

  it('a receiver on the other node gets the message with its files and downloads them there', async () => {
    const [ann, ben] = await registerUsers(node(0), 2);
    const { id: conversationId } = await createGroup<{ id: string }>(node(0), ann, [ben], { title: 'Across' });
    const report = Buffer.from(`quarterly report ${randomUUID()}\n`);
    const file = await upload(node(0), ann, report, 'report.txt');
    const onOne = await open(0, ann);
    const onTwo = await open(1, ben);
    const received = collect(onTwo, 'message:received');

    const ack = await emitWithAck(onOne, 'message:send', { conversationId, clientMessageId: randomUUID(), content: 'the report', attachmentIds: [file.id] });

    expect(ack.ok, JSON.stringify(ack)).toBe(true);
    const [event] = await received.waitFor(1);
    expect(event.message).toMatchObject({
      id: ack.message.id,
      attachments: [{ id: file.id, name: 'report.txt', size: report.length, mimeType: 'text/plain' }],
    });
    const download = await node(1).http().get(`/api/files/${file.id}`).set(bearer(ben)).buffer(true);
    expect(download.status).toBe(200);
    expect(download.text).toBe(report.toString('utf8'));
  });
});
