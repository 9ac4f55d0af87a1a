import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Test } from '@nestjs/testing';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import S3rver from 's3rver';
import type { TestingModule } from '@nestjs/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config/app-config';
import { ConfigModule } from '../../config/config.module';
import { FileStorage } from './file-storage';
import { StorageModule } from './storage.module';

const secrets = { JWT_ACCESS_SECRET: 'a'.repeat(40), JWT_REFRESH_SECRET: 'b'.repeat(40) };
const quiet = () => undefined;

const apps: TestingModule[] = [];

async function compile(env: Record<string, string>): Promise<TestingModule> {
  const config = loadConfig({ ...secrets, ...env }, quiet);
  const app = await Test.createTestingModule({ imports: [ConfigModule.forRoot(config), StorageModule] }).compile();
  apps.push(app);
  return app;
}

describe('StorageModule', () => {
  let dataDir: string;
  let s3Dir: string;
  let server: Server;
  let endpoint: string;
  const openSockets = new Set<Socket>();
  const s3Env = () => ({ DATA_DIR: dataDir, S3_BUCKET: 'uploads', S3_ENDPOINT: endpoint, S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER' });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'storage-module-'));
    s3Dir = await mkdtemp(join(tmpdir(), 'storage-module-s3-'));
    server = createServer(new S3rver({ directory: s3Dir, silent: true }).callback());
    server.on('connection', (socket) => {
      openSockets.add(socket);
      socket.once('close', () => openSockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const admin = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    await admin.send(new CreateBucketCommand({ Bucket: 'uploads' }));
    admin.destroy();
  });

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await Promise.all([rm(dataDir, { recursive: true, force: true }), rm(s3Dir, { recursive: true, force: true })]);
  });

  it('keeps files under DATA_DIR/files when no bucket is configured', async () => {
    const app = await compile({ DATA_DIR: dataDir });
    const storage = app.get(FileStorage);
    expect(storage.kind).toBe('disk');
    await storage.put('a/local', Readable.from([Buffer.from('on disk')]), { contentType: 'text/plain' });
    expect(await readFile(join(dataDir, 'files', 'a/local'), 'utf8')).toBe('on disk');
  });

  it('stores in the configured bucket, at the configured endpoint, with the configured keys', async () => {
    const app = await compile(s3Env());
    const storage = app.get(FileStorage);
    expect(storage.kind).toBe('s3');
    await storage.put('a/remote', Readable.from([Buffer.from('in the bucket')]), { contentType: 'text/plain' });

    const reader = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    const { Body, ContentType } = await reader.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'a/remote' }));
    expect((await buffer(Body as Readable)).toString()).toBe('in the bucket');
    expect(ContentType).toBe('text/plain');
    reader.destroy();
  });

  it('fails loudly, not as a missing file, when the bucket does not exist', async () => {
    const storage = (await compile({ ...s3Env(), S3_BUCKET: 'no-such-bucket' })).get(FileStorage);
    await expect(storage.get('a/remote')).rejects.toMatchObject({ name: 'NoSuchBucket' });
    // An endless body: the upload stops reading it at the first failed request, and must let it go.
    const chunk = Buffer.alloc(1024 * 1024);
    const body = Readable.from(
      (function* () {
        for (;;) yield chunk;
      })(),
    );
    await expect(storage.put('a/remote', body, { contentType: 'text/plain' })).rejects.toMatchObject({ name: 'NoSuchBucket' });
    expect(body.destroyed).toBe(true);
  });

  it('closes its connections to the storage on shutdown', async () => {
    const app = await compile(s3Env());
    await app.get(FileStorage).size('a/remote');
    expect(openSockets.size).toBeGreaterThan(0);
    await app.close();
    apps.splice(apps.indexOf(app), 1);
    // Kept-alive sockets would stay open until the server timed them out.
    await vi.waitFor(() => expect(openSockets.size).toBe(0));
  });
});
