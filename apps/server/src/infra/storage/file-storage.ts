import type { Readable } from 'node:stream';

/** A byte range, both ends included, as HTTP Range requests count. */
export interface ByteRange {
  start: number;
  end: number;
}

/** How a client should receive an object when the storage can hand it out directly. */
export interface SignedUrlOptions {
  fileName: string;
  contentType: string;
  disposition: 'inline' | 'attachment';
  expiresInSeconds: number;
}

/**
 * Where uploaded files' bytes live. Keys are chosen by the server (storageKey), never derived from
 * a client's file name; the adapters accept nothing else. One adapter serves the process, chosen
 * from the configuration (StorageModule): local disk by default, S3-compatible storage when set.
 */
export abstract class FileStorage {
  /** 'disk' or 's3', for logs and health. */
  abstract readonly kind: 'disk' | 's3';

  /**
   * Streams `body` under `key` and resolves with the bytes written once all of it is stored. A
   * failed or aborted write (the body errors or is destroyed, or the storage fails) stores nothing
   * under `key`: an object already there stays as it was.
   */
  abstract put(key: string, body: Readable, options: { contentType: string }): Promise<{ size: number }>;

  /**
   * The object's bytes, or only `range` of them; null when there is no such object. The caller
   * keeps `range` within the object's size (see size()).
   */
  abstract get(key: string, range?: ByteRange): Promise<Readable | null>;

  /** The object's size in bytes, or null when there is no such object. */
  abstract size(key: string): Promise<number | null>;

  /** Removes the object; removing one that is not there is not an error. */
  abstract delete(key: string): Promise<void>;

  /** A short-lived URL the client may fetch the object from directly, or null to stream it through the server. */
  abstract signedUrl(key: string, options: SignedUrlOptions): Promise<string | null>;
}

/** A key the adapters accept: lowercase letters, digits, '-' and '/' between segments; no '..', no leading '/'. */
const KEY_PATTERN = /^[a-z0-9]+(?:[-/][a-z0-9]+)*$/;

export function assertStorageKey(key: string): void {
  if (!KEY_PATTERN.test(key) || key.length > 200) throw new Error(`invalid storage key: ${JSON.stringify(key)}`);
}
