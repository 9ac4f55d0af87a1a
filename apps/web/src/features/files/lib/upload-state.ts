import { MESSAGE_ATTACHMENTS_MAX, type UploadedFile } from '@chat/shared';

/** One file picked for the next message, from the pick until it is sent or removed. */
export type Upload =
  | { key: string; file: File; status: 'uploading'; loaded: number }
  | { key: string; file: File; status: 'done'; loaded: number; result: UploadedFile }
  | { key: string; file: File; status: 'failed'; loaded: number; error: string };

export type UploadAction =
  | { type: 'add'; uploads: Array<{ key: string; file: File }> }
  | { type: 'progress'; key: string; loaded: number }
  | { type: 'done'; key: string; result: UploadedFile }
  | { type: 'failed'; key: string; error: string }
  | { type: 'retry'; key: string }
  | { type: 'remove'; key: string }
  /** The message went out with these: they leave the tray. */
  | { type: 'sent'; keys: string[] };

/** How many more files the tray takes. */
export const roomLeft = (uploads: readonly Upload[]) => Math.max(0, MESSAGE_ATTACHMENTS_MAX - uploads.length);

export function uploadsReducer(uploads: Upload[], action: UploadAction): Upload[] {
  switch (action.type) {
    case 'add': {
      const added = action.uploads.slice(0, roomLeft(uploads)).map(({ key, file }): Upload => ({ key, file, status: 'uploading', loaded: 0 }));
      return added.length === 0 ? uploads : [...uploads, ...added];
    }
    case 'progress':
      return update(uploads, action.key, (upload) =>
        upload.status === 'uploading' ? { ...upload, loaded: Math.min(action.loaded, upload.file.size) } : upload,
      );
    case 'done':
      return update(uploads, action.key, (upload) =>
        upload.status === 'uploading' ? { key: upload.key, file: upload.file, status: 'done', loaded: upload.file.size, result: action.result } : upload,
      );
    case 'failed':
      return update(uploads, action.key, (upload) =>
        upload.status === 'uploading' ? { key: upload.key, file: upload.file, status: 'failed', loaded: upload.loaded, error: action.error } : upload,
      );
    case 'retry':
      return update(uploads, action.key, (upload) =>
        upload.status === 'failed' ? { key: upload.key, file: upload.file, status: 'uploading', loaded: 0 } : upload,
      );
    case 'remove':
      return uploads.filter((upload) => upload.key !== action.key);
    case 'sent': {
      const keys = new Set(action.keys);
      return uploads.filter((upload) => !keys.has(upload.key));
    }
  }
}

function update(uploads: Upload[], key: string, change: (upload: Upload) => Upload): Upload[] {
  return uploads.map((upload) => (upload.key === key ? change(upload) : upload));
}

/** 0..1, for the progress bar. */
export const uploadProgress = (upload: Upload) => (upload.file.size === 0 ? (upload.status === 'done' ? 1 : 0) : upload.loaded / upload.file.size);

/** What the composer may send now, and whether it must wait. */
export function summarizeUploads(uploads: readonly Upload[]): { ready: UploadedFile[]; readyKeys: string[]; uploading: boolean } {
  const done = uploads.filter((upload) => upload.status === 'done');
  return {
    ready: done.map((upload) => upload.result),
    readyKeys: done.map((upload) => upload.key),
    uploading: uploads.some((upload) => upload.status === 'uploading'),
  };
}
