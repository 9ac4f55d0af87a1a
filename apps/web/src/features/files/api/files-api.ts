import { UPLOAD_FILE_FIELD, type UploadedFile, uploadedFileSchema } from '@chat/shared';
import { ApiError, apiClient, parseRetryAfter, toApiError } from '../../../lib/api-client';
import { uploadErrorMessage } from '../lib/upload-errors';

export const fileUrl = (id: string) => `/api/files/${id}`;
export const fileInfoUrl = (id: string) => `/api/files/${id}/info`;

/**
 * GET of file bytes with the bearer token (an <img> or a download link cannot send it), renewing
 * an expired token once like the API client does.
 */
export async function fetchFileBlob(path: string, signal?: AbortSignal): Promise<Blob> {
  const get = (token: string | null) => fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {}, credentials: 'same-origin', signal });
  let response = await get(apiClient.getAccessToken());
  if (response.status === 401) {
    await apiClient.refreshSession();
    response = await get(apiClient.getAccessToken());
  }
  if (!response.ok) throw await toApiError(response);
  return response.blob();
}

export const fetchFileInfo = (id: string, signal?: AbortSignal) => apiClient.get(fileInfoUrl(id), { schema: uploadedFileSchema, signal });

export class UploadError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

export interface UploadHandle {
  done: Promise<UploadedFile>;
  abort(): void;
}

/** POST /api/files with progress (fetch cannot report upload progress; XMLHttpRequest can). */
export function uploadFile(file: File, onProgress: (loaded: number) => void): UploadHandle {
  let current: XMLHttpRequest | null = null;
  let aborted = false;

  const attempt = (token: string | null) =>
    new Promise<XMLHttpRequest>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      current = xhr;
      xhr.open('POST', '/api/files');
      xhr.setRequestHeader('Accept', 'application/json');
      if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
      xhr.upload.onprogress = (event) => onProgress(event.loaded);
      xhr.onload = () => resolve(xhr);
      xhr.onerror = () => reject(new UploadError(uploadErrorMessage(0), 0));
      xhr.onabort = () => reject(new UploadError('Cancelled', -1));
      const body = new FormData();
      body.append(UPLOAD_FILE_FIELD, file, file.name);
      xhr.send(body);
    });

  const done = (async () => {
    let xhr = await attempt(apiClient.getAccessToken());
    if (xhr.status === 401 && !aborted) {
      await apiClient.refreshSession();
      xhr = await attempt(apiClient.getAccessToken());
    }
    const body = parseJson(xhr.responseText);
    if (xhr.status >= 200 && xhr.status < 300) {
      const parsed = uploadedFileSchema.safeParse(body);
      if (!parsed.success) throw new UploadError('The server sent an unexpected response', xhr.status);
      return parsed.data;
    }
    const message =
      typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string'
        ? (body as { message: string }).message
        : undefined;
    throw new UploadError(uploadErrorMessage(xhr.status, message, parseRetryAfter(xhr.getResponseHeader('Retry-After'))), xhr.status);
  })().catch((error: unknown) => {
    if (error instanceof UploadError) throw error;
    if (error instanceof ApiError) throw new UploadError(error.status === 0 ? uploadErrorMessage(0) : 'Your session ended: sign in again', error.status);
    throw new UploadError(uploadErrorMessage(0), 0);
  });

  return {
    done,
    abort() {
      aborted = true;
      current?.abort();
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
