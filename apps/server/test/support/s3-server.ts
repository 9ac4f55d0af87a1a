import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll } from 'vitest';

export interface S3Server {
  /** The S3_* variables that point a server at this bucket. */
  env: Record<string, string>;
  /** Every key in the bucket, sorted. */
  keys(): Promise<string[]>;
  stop(): Promise<void>;
}

/** A real S3-protocol server (s3rver) on a free port of 127.0.0.1 with one empty bucket, storing under a temporary folder. */
export async function startS3Server(bucket = 'chat-files'): Promise<S3Server> {
  const directory = await mkdtemp(join(tmpdir(), 'files-s3-'));
  const server = createServer(new S3rver({ directory, silent: true }).callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // s3rver's built-in account.
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    env: {
      S3_BUCKET: bucket,
      S3_ENDPOINT: endpoint,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_FORCE_PATH_STYLE: 'true',
    },
    keys: async () => {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
        keys.push(...(page.Contents ?? []).map((object) => object.Key!));
        token = page.NextContinuationToken;
      } while (token);
      return keys.sort();
    },
    stop: async () => {
      client.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** One S3 server for the enclosing block: started before hooks registered after this call, stopped after them. */
export function useS3Server(bucket?: string): S3Server {
  let started: S3Server | undefined;
  beforeAll(async () => {
    started = await startS3Server(bucket);
  });
  afterAll(() => started?.stop());
  const server = () => {
    if (!started) throw new Error('The S3 server has not started yet (use it inside tests or hooks).');
    return started;
  };
  return {
    get env() {
      return server().env;
    },
    keys: () => server().keys(),
    stop: () => server().stop(),
  };
}
