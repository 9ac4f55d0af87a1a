import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import { uuid } from '../../../lib/uuid';
import { type UploadHandle, uploadFile } from '../api/files-api';
import { UPLOAD_MAX_BYTES, uploadErrorMessage } from '../lib/upload-errors';
import { roomLeft, summarizeUploads, type Upload, uploadsReducer } from '../lib/upload-state';

export interface Uploads {
  uploads: Upload[];
  /** Starts uploading each file at once; past ten in the tray the rest are left out (returns how many). */
  add(files: readonly File[]): number;
  retry(key: string): void;
  /** Cancels a running upload, or drops a finished or failed one. */
  remove(key: string): void;
  /** The message went out with these. */
  sent(keys: string[]): void;
  summary: ReturnType<typeof summarizeUploads>;
}

/** The files picked for the next message of a composer, each uploaded as soon as it is picked. */
export function useUploads(): Uploads {
  const [uploads, dispatch] = useReducer(uploadsReducer, []);
  const running = useRef(new Map<string, UploadHandle>());
  const current = useRef(uploads);
  useEffect(() => {
    current.current = uploads;
  });

  const start = useCallback((key: string, file: File) => {
    if (file.size > UPLOAD_MAX_BYTES) {
      dispatch({ type: 'failed', key, error: uploadErrorMessage(413) });
      return;
    }
    const handle = uploadFile(file, (loaded) => dispatch({ type: 'progress', key, loaded }));
    running.current.set(key, handle);
    handle.done
      .then(
        (result) => dispatch({ type: 'done', key, result }),
        (error: unknown) => {
          // A cancelled upload was removed from the tray already.
          if (running.current.get(key) === handle) dispatch({ type: 'failed', key, error: error instanceof Error ? error.message : String(error) });
        },
      )
      .finally(() => {
        if (running.current.get(key) === handle) running.current.delete(key);
      });
  }, []);

  const add = useCallback(
    (files: readonly File[]) => {
      const room = roomLeft(current.current);
      const taken = files.slice(0, room).map((file) => ({ key: uuid(), file }));
      // Counted here too, so two quick picks in one render cannot pass ten together.
      current.current = uploadsReducer(current.current, { type: 'add', uploads: taken });
      dispatch({ type: 'add', uploads: taken });
      for (const { key, file } of taken) start(key, file);
      return files.length - taken.length;
    },
    [start],
  );

  const retry = useCallback(
    (key: string) => {
      const upload = current.current.find((item) => item.key === key);
      if (upload?.status !== 'failed') return;
      dispatch({ type: 'retry', key });
      start(key, upload.file);
    },
    [start],
  );

  const remove = useCallback((key: string) => {
    const handle = running.current.get(key);
    running.current.delete(key);
    handle?.abort();
    dispatch({ type: 'remove', key });
  }, []);

  const sent = useCallback((keys: string[]) => dispatch({ type: 'sent', keys }), []);

  // Leaving the conversation cancels what is still on its way.
  useEffect(() => {
    const handles = running.current;
    return () => {
      for (const handle of handles.values()) handle.abort();
      handles.clear();
    };
  }, []);

  const summary = useMemo(() => summarizeUploads(uploads), [uploads]);
  return { uploads, add, retry, remove, sent, summary };
}
