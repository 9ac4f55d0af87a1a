import { useFileDrop } from './use-file-drop';
import { useUploads } from './use-uploads';

/**
 * What a composer needs for files: the uploads of its next message (for MessageInput's `uploads`),
 * and the drop handlers of the area around it, which add dropped files to the same uploads.
 * The main composer and the thread panel's each hold their own.
 */
export function useComposerFiles(enabled: boolean) {
  const uploads = useUploads();
  const { dragging, dropProps } = useFileDrop(uploads.add, enabled);
  return { uploads, dragging, dropProps };
}
