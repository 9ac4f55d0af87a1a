import { useRef } from 'react';
import { IconButton } from '../../../components/ui/icon-button';
import { PaperClipIcon } from '../../../components/ui/icons';

/** The paperclip: opens the file picker (several files at once). */
export function AttachButton({ onFiles, disabled = false }: { onFiles: (files: File[]) => void; disabled?: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <IconButton label="Attach files" icon={<PaperClipIcon />} disabled={disabled} onClick={() => input.current?.click()} className="size-10" />
      <input
        ref={input}
        type="file"
        multiple
        hidden
        data-testid="attach-files-input"
        onChange={(event) => {
          const files = Array.from(event.target.files ?? []);
          // Cleared so the same file can be picked again after removing it.
          event.target.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
    </>
  );
}
