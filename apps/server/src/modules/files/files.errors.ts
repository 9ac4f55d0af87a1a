import { UPLOAD_FILE_FIELD } from '@chat/shared';
import { AppError } from '../../common/errors/app-error';

const field = (message: string) => [{ path: UPLOAD_FILE_FIELD, message }];
// For failures found while the body is still arriving: the connection closes after the answer, so
// the rest of a large body is not read only to be thrown away.
const CLOSE = { Connection: 'close' };

export const filesErrors = {
  notMultipart: () =>
    new AppError(400, 'INVALID_UPLOAD', `Send the file as multipart/form-data in the field "${UPLOAD_FILE_FIELD}"`, field('multipart/form-data expected')),
  malformed: () => new AppError(400, 'INVALID_UPLOAD', 'The multipart body is malformed or incomplete', field('malformed multipart body'), CLOSE),
  missingFile: () => new AppError(400, 'INVALID_UPLOAD', `No file in the field "${UPLOAD_FILE_FIELD}"`, field('required')),
  tooManyFiles: () => new AppError(400, 'INVALID_UPLOAD', 'Send one file per request', field('one file only'), CLOSE),
  unexpectedField: (name: string) =>
    new AppError(
      400,
      'INVALID_UPLOAD',
      `Unexpected file field "${name}"; use "${UPLOAD_FILE_FIELD}"`,
      [{ path: name, message: 'unexpected file field' }],
      CLOSE,
    ),
  tooLarge: (maxBytes: number) =>
    new AppError(413, 'FILE_TOO_LARGE', `The file is larger than the limit of ${maxBytes} bytes`, field(`at most ${maxBytes} bytes`), CLOSE),
  notFound: () => new AppError(404, 'FILE_NOT_FOUND', 'File not found'),
  rangeNotSatisfiable: (size: number) =>
    new AppError(416, 'RANGE_NOT_SATISFIABLE', 'The requested range is outside the file', undefined, { 'Content-Range': `bytes */${size}` }),
  rateLimited: (retryAfterSeconds: number) =>
    new AppError(429, 'RATE_LIMITED', 'Too many uploads; slow down', undefined, { 'Retry-After': String(retryAfterSeconds) }),
};
