import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import type { UploadedFile } from '@chat/shared';
import { AppConfig } from '../../config/app-config';
import { FileStorage } from '../../infra/storage/file-storage';
import { RateLimiter } from '../../infra/rate-limit/rate-limiter';
import { MetricsService } from '../metrics/metrics.service';
import { type AttachedFile, FileRepository } from './file.repository';
import { dispositionOf, etagOf, fileHeaders, matchesIfNoneMatch, parseRange } from './file-serving';
import { sanitizeFileName } from './file-name';
import { filesErrors } from './files.errors';
import { sniffMimeType, SNIFF_BYTES } from './mime-sniffing';
import { peek, receiveUpload } from './multipart-upload';
import { THUMBNAIL_SOURCE_TYPES } from './thumbnails/thumbnail-image';
import { ThumbnailWorker } from './thumbnails/thumbnails.worker';

/** Room for the multipart envelope (boundaries, part headers, small fields) around the file itself. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
/** How long a redirect to the storage's own URL stays valid. */
const SIGNED_URL_SECONDS = 300;
const THUMBNAIL_TYPE = 'image/webp';

export interface DownloadRequest {
  range?: string;
  ifRange?: string;
  ifNoneMatch?: string;
  /** False for HEAD: headers only. */
  withBody: boolean;
}

export type FileDownload =
  | { kind: 'redirect'; url: string }
  | { kind: 'not-modified'; headers: Record<string, string> }
  | { kind: 'content'; status: 200 | 206; headers: Record<string, string>; body: Readable | null };

@Injectable()
export class FilesService {
  private readonly logger = new Logger(FilesService.name);

  constructor(
    private readonly repository: FileRepository,
    private readonly storage: FileStorage,
    private readonly rateLimiter: RateLimiter,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
    private readonly thumbnails: ThumbnailWorker,
  ) {}

  /**
   * Streams the request's file into storage (never holding more than its first few KB) and records
   * it once stored. Any failure leaves nothing behind: the stored object is deleted, no row written.
   */
  async upload(userId: string, request: IncomingMessage): Promise<UploadedFile> {
    const rule = { name: 'upload', points: this.config.uploadRateLimit, durationSeconds: 60 };
    const verdict = await this.rateLimiter.consume(rule, userId);
    if (!verdict.allowed) {
      this.metrics.rateLimitHits.inc({ rule: rule.name });
      throw filesErrors.rateLimited(verdict.retryAfterSeconds);
    }
    const maxBytes = this.config.maxUploadBytes;
    if (Number(request.headers['content-length'] ?? 0) > maxBytes + MULTIPART_OVERHEAD_BYTES) throw filesErrors.tooLarge(maxBytes);

    const upload = await receiveUpload(request, maxBytes);
    const id = randomUUID();
    const storageKey = `f/${id}`;
    try {
      const { head, body } = await peek(upload.body, SNIFF_BYTES);
      const mimeType = await sniffMimeType(head);
      const { size } = await this.storage.put(storageKey, body, { contentType: mimeType });
      await upload.finished;
      const isImage = THUMBNAIL_SOURCE_TYPES.has(mimeType);
      const row = await this.repository.insert({
        id,
        uploaderId: userId,
        storageKey,
        name: sanitizeFileName(upload.fileName),
        size,
        mimeType,
        thumbnailState: isImage ? 'pending' : null,
      });
      // Made later by a worker; the upload answers without waiting for it.
      if (isImage) this.thumbnails.request(row.id);
      return toUploadedFile(row);
    } catch (error) {
      upload.discard();
      upload.body.destroy();
      await this.storage.delete(storageKey).catch((cleanupError: unknown) => this.logger.error(cleanupError, `could not delete ${storageKey}`));
      throw upload.failure() ?? error;
    }
  }

  /** A file for `userId`, answered as HTTP would; 404 alike for a file that is not there and one they may not read. */
  async download(userId: string, fileId: string, request: DownloadRequest): Promise<FileDownload> {
    const file = await this.repository.findReadable(fileId, userId);
    if (!file) throw filesErrors.notFound();
    const headers = fileHeaders(file);
    if (matchesIfNoneMatch(request.ifNoneMatch, etagOf(file.id))) return { kind: 'not-modified', headers };

    const url = await this.storage.signedUrl(file.storageKey, {
      fileName: file.name,
      contentType: headers['Content-Type']!,
      disposition: dispositionOf(file.mimeType),
      expiresInSeconds: SIGNED_URL_SECONDS,
    });
    if (url) return { kind: 'redirect', url };

    const range = parseRange(request.range, file.size, request.ifRange, etagOf(file.id));
    if (range === 'unsatisfiable') throw filesErrors.rangeNotSatisfiable(file.size);
    const length = range ? range.end - range.start + 1 : file.size;
    const contentHeaders = {
      ...headers,
      'Content-Length': String(length),
      ...(range ? { 'Content-Range': `bytes ${range.start}-${range.end}/${file.size}` } : {}),
    };
    let body: Readable | null = null;
    // An empty file has no range to ask for: its (empty) body is simply not read.
    if (request.withBody && length > 0) {
      body = await this.storage.get(file.storageKey, range ?? undefined);
      if (!body) {
        this.logger.error(`file ${file.id} has a row but no stored object (${file.storageKey})`);
        throw filesErrors.notFound();
      }
    }
    return { kind: 'content', status: range ? 206 : 200, headers: contentHeaders, body };
  }

  /** The stored file as the uploader's answer describes it, under the same access rule as its bytes. */
  async info(userId: string, fileId: string): Promise<UploadedFile> {
    const file = await this.repository.findReadable(fileId, userId);
    if (!file) throw filesErrors.notFound();
    return toUploadedFile(file);
  }

  /** The file's WebP thumbnail for `userId`: 404 while it is being made, and for files that have none. */
  async thumbnail(userId: string, fileId: string, request: Pick<DownloadRequest, 'ifNoneMatch' | 'withBody'>): Promise<FileDownload> {
    const file = await this.repository.findReadable(fileId, userId);
    if (!file || file.thumbnailState !== 'ready' || !file.thumbnailKey) throw filesErrors.notFound();
    const name = `${file.name.replace(/\.[^.]*$/, '') || 'thumbnail'}.webp`;
    const headers: Record<string, string> = { ...fileHeaders({ id: file.id, name, size: 0, mimeType: THUMBNAIL_TYPE }), ETag: thumbnailEtagOf(file.id) };
    // A small image served whole: no ranges.
    delete headers['Accept-Ranges'];
    if (matchesIfNoneMatch(request.ifNoneMatch, thumbnailEtagOf(file.id))) return { kind: 'not-modified', headers };

    const url = await this.storage.signedUrl(file.thumbnailKey, {
      fileName: name,
      contentType: THUMBNAIL_TYPE,
      disposition: 'inline',
      expiresInSeconds: SIGNED_URL_SECONDS,
    });
    if (url) return { kind: 'redirect', url };

    if (!request.withBody) return { kind: 'content', status: 200, headers, body: null };
    const body = await this.storage.get(file.thumbnailKey);
    if (!body) {
      this.logger.error(`file ${file.id} has a ready thumbnail but no stored object (${file.thumbnailKey})`);
      throw filesErrors.notFound();
    }
    return { kind: 'content', status: 200, headers, body };
  }
}

/** The thumbnail's own validator: the original's ETag names other bytes. */
const thumbnailEtagOf = (fileId: string) => `"${fileId}-thumbnail"`;

/** A file as the API describes it: the upload's answer, GET /api/files/{id}/info, a message's attachments. */
export function toUploadedFile(row: AttachedFile): UploadedFile {
  return {
    id: row.id,
    name: row.name,
    size: row.size,
    mimeType: row.mimeType,
    ...(row.width !== null ? { width: row.width } : {}),
    ...(row.height !== null ? { height: row.height } : {}),
    ...(row.thumbnailState === 'ready' ? { thumbnailUrl: `/api/files/${row.id}/thumbnail` } : {}),
  };
}
