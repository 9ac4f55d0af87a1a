import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { UPLOAD_FILE_FIELD } from '@chat/shared';
import busboy from 'busboy';
import type { AppError } from '../../common/errors/app-error';
import { filesErrors } from './files.errors';

/** The one file of a multipart upload, as it arrives. */
export interface IncomingUpload {
  /** The name the client gave, unsanitised. */
  fileName: string;
  /** The file's bytes as they arrive; errors with a 413 AppError past the limit. */
  body: Readable;
  /** Resolves once the whole request is read and held nothing else wrong (a second file, a cut body). */
  finished: Promise<void>;
  /** Why the upload failed, once it has: the error to answer with rather than what it caused downstream. */
  failure(): AppError | undefined;
  /** Stops reading the request (the caller gave up on it). */
  discard(): void;
}

/**
 * Reads a multipart/form-data request as a stream and resolves with its file in the field `file`
 * as soon as that file starts; text fields are ignored. Rejects with a 400 AppError when the
 * request is not multipart, holds no file, or puts a file in another field.
 */
export function receiveUpload(req: IncomingMessage, maxBytes: number): Promise<IncomingUpload> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      defParamCharset: 'utf8',
      // One byte over the limit: busboy flags a file that reaches its limit exactly.
      limits: { files: 1, fileSize: maxBytes + 1, fields: 20, fieldSize: 8 * 1024, parts: 30, headerPairs: 20 },
    });
  } catch {
    return Promise.reject(filesErrors.notMultipart());
  }

  return new Promise<IncomingUpload>((resolve, reject) => {
    let upload: IncomingUpload | undefined;
    let failure: AppError | undefined;
    let settle!: { resolve: () => void; reject: (error: AppError) => void };
    const finished = new Promise<void>((resolveFinished, rejectFinished) => (settle = { resolve: resolveFinished, reject: rejectFinished }));
    // Awaited by the caller only on the happy path; a failure is also reported through failure().
    finished.catch(() => undefined);

    const stopReading = () => {
      req.unpipe(parser);
      parser.removeAllListeners('file');
    };
    const fail = (error: AppError) => {
      if (failure) return;
      failure = error;
      stopReading();
      if (!upload) return reject(error);
      if (!upload.body.destroyed) upload.body.destroy(error);
      settle.reject(error);
    };

    parser.on('file', (field, stream, info) => {
      if (field !== UPLOAD_FILE_FIELD) {
        stream.resume();
        return fail(filesErrors.unexpectedField(field));
      }
      // Its errors reach the reader through its iterator; failure() tells the cause. Unheard, one would crash the process.
      stream.on('error', () => undefined);
      stream.once('limit', () => fail(filesErrors.tooLarge(maxBytes)));
      const received: IncomingUpload = { fileName: info.filename ?? '', body: stream, finished, failure: () => failure, discard: stopReading };
      upload = received;
      resolve(received);
    });
    parser.on('filesLimit', () => fail(filesErrors.tooManyFiles()));
    parser.on('partsLimit', () => fail(filesErrors.malformed()));
    parser.on('error', () => fail(filesErrors.malformed()));
    parser.on('finish', () => {
      if (!upload) return fail(filesErrors.missingFile());
      settle.resolve();
    });
    // A client that goes away mid-upload: without this the file would wait for bytes forever.
    req.on('close', () => {
      if (!req.complete) fail(filesErrors.malformed());
    });
    req.pipe(parser);
  });
}

/** The first `bytes` of `source` (fewer if it is shorter), and a stream of all of it, those included. */
export async function peek(source: Readable, bytes: number): Promise<{ head: Buffer; body: Readable }> {
  const chunks = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const read: Buffer[] = [];
  let length = 0;
  let ended = false;
  while (length < bytes) {
    const next = await chunks.next();
    if (next.done) {
      ended = true;
      break;
    }
    read.push(next.value);
    length += next.value.length;
  }
  const head = Buffer.concat(read);
  async function* all() {
    if (head.length > 0) yield head;
    if (ended) return;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
  }
  return { head: head.subarray(0, bytes), body: Readable.from(all(), { objectMode: false }) };
}
