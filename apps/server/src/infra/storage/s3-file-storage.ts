import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { create as contentDisposition } from 'content-disposition';
import { pipeline, type Readable, Transform } from 'node:stream';
import type { AppConfig } from '../../config/app-config';
import { assertStorageKey, type ByteRange, FileStorage, type SignedUrlOptions } from './file-storage';

export type S3Settings = NonNullable<AppConfig['s3']>;

/**
 * S3 answers a missing key with NoSuchKey on GET and a bodiless 404 (NotFound) on HEAD. A missing
 * bucket (NoSuchBucket) is a misconfiguration and stays an error.
 */
const isMissing = (error: unknown) => error instanceof S3ServiceException && (error.name === 'NoSuchKey' || error.name === 'NotFound');

/**
 * Parts of 5 MiB (S3's smallest), two in flight while the next fills: an upload holds about 15 MiB
 * in memory whatever its size, and the body is not read faster than the storage takes it.
 */
const PART_SIZE = 5 * 1024 * 1024;
const PARTS_IN_FLIGHT = 2;

/**
 * Files in one S3 bucket (AWS or any S3-compatible server: MinIO, R2, Ceph...). Every node of a
 * cluster sees the same objects, and downloads can be handed to the client as presigned URLs.
 */
export class S3FileStorage extends FileStorage {
  readonly kind = 's3' as const;
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(settings: S3Settings) {
    super();
    this.bucket = settings.bucket;
    const { accessKeyId, secretAccessKey } = settings;
    this.client = new S3Client({
      region: settings.region,
      endpoint: settings.endpoint,
      forcePathStyle: settings.forcePathStyle,
      // Without both keys the SDK's own chain applies (environment, instance or task role).
      credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
      // On AWS the SDK's default CRC32 checksums check every part end to end. Several S3-compatible
      // servers reject or mishandle those headers and trailers, so elsewhere only required ones are sent.
      ...(settings.endpoint && { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }),
    });
  }

  async put(key: string, body: Readable, options: { contentType: string }): Promise<{ size: number }> {
    assertStorageKey(key);
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        done(null, chunk);
      },
    });
    // A body that errors or is destroyed fails the counter, which fails the upload.
    let bodyError: unknown;
    pipeline(body, counter, (error) => (bodyError ??= error));
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: counter, ContentType: options.contentType },
      partSize: PART_SIZE,
      queueSize: PARTS_IN_FLIGHT,
      // On failure Upload aborts the multipart upload, so no parts are left to bill or complete later.
      leavePartsOnError: false,
    });
    try {
      await upload.done();
      return { size };
    } catch (error) {
      // Release a body the storage no longer reads (the pipeline takes the counter down with it);
      // report the body's own failure first.
      body.destroy();
      throw bodyError ?? error;
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable | null> {
    assertStorageKey(key);
    try {
      const { Body } = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
      );
      // In Node the SDK's body is the HTTP response itself, a Readable.
      return Body as Readable;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async size(key: string): Promise<number | null> {
    assertStorageKey(key);
    try {
      const { ContentLength } = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return ContentLength ?? 0;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertStorageKey(key);
    // S3 answers 204 whether or not the key existed.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async signedUrl(key: string, options: SignedUrlOptions): Promise<string | null> {
    assertStorageKey(key);
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: key,
      // The same header express's res.attachment() writes, so both download paths name files alike.
      ResponseContentDisposition: contentDisposition(options.fileName, { type: options.disposition }),
      ResponseContentType: options.contentType,
    });
    return getSignedUrl(this.client, command, { expiresIn: options.expiresInSeconds });
  }

  /** Closes the client's pooled connections; called once at shutdown. */
  close(): void {
    this.client.destroy();
  }
}
