import type { UploadedFile } from '@chat/shared';
import { useState } from 'react';
import { Spinner } from '../../../components/ui/spinner';
import { cn } from '../../../lib/cn';
import { fetchFileBlob, fileUrl } from '../api/files-api';
import { useImageWithThumbnail } from '../api/use-file-info';
import { useFileObjectUrl } from '../api/use-file-object-url';
import { formatFileSize, isImage } from '../lib/format-size';
import { saveBlob } from '../lib/save-file';
import { DocumentIcon, DownloadIcon, PhotoIcon } from '../../../components/ui/icons';
import { ImageViewer } from './image-viewer';

const PREVIEW_MAX_PX = 240;

/** The files of a message: images as previews (opening a viewer), other files as cards. */
export function MessageAttachments({ attachments, inverted = false }: { attachments: readonly UploadedFile[]; inverted?: boolean }) {
  const [viewing, setViewing] = useState<number | null>(null);
  if (attachments.length === 0) return null;
  const images = attachments.filter((file) => isImage(file.mimeType));
  const others = attachments.filter((file) => !isImage(file.mimeType));
  return (
    <div className="mb-1 flex flex-col gap-1.5">
      {images.length > 0 && (
        <div className="flex flex-wrap gap-1.5">
          {images.map((image, index) => (
            <ImagePreview key={image.id} image={image} onOpen={() => setViewing(index)} />
          ))}
        </div>
      )}
      {others.map((file) => (
        <FileCard key={file.id} file={file} inverted={inverted} />
      ))}
      <ImageViewer images={images} index={viewing} onIndexChange={setViewing} onClose={() => setViewing(null)} />
    </div>
  );
}

/** Width and height of the preview box: the image's shape within PREVIEW_MAX_PX, a square when unknown. */
function previewBox(file: UploadedFile): { width: number; height: number } {
  if (!file.width || !file.height) return { width: 160, height: 160 };
  const scale = Math.min(1, PREVIEW_MAX_PX / Math.max(file.width, file.height));
  return { width: Math.max(48, Math.round(file.width * scale)), height: Math.max(48, Math.round(file.height * scale)) };
}

function ImagePreview({ image, onOpen }: { image: UploadedFile; onOpen: () => void }) {
  const { file, waiting } = useImageWithThumbnail(image);
  const thumbnail = useFileObjectUrl(file.thumbnailUrl);
  const box = previewBox(file);
  return (
    <button
      type="button"
      onClick={onOpen}
      aria-label={`Open image ${file.name}`}
      data-attachment-image={file.id}
      style={{ aspectRatio: `${box.width} / ${box.height}`, width: box.width }}
      className="relative max-w-full overflow-hidden rounded-lg bg-slate-200 ring-1 ring-black/5 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
    >
      {thumbnail.data ? (
        <img src={thumbnail.data} alt={file.name} className="size-full object-cover" data-thumbnail="" />
      ) : (
        <span className="flex size-full items-center justify-center text-slate-400">
          {waiting || thumbnail.isLoading ? <Spinner className="size-5" /> : <PhotoIcon className="size-8" />}
        </span>
      )}
    </button>
  );
}

function FileCard({ file, inverted }: { file: UploadedFile; inverted: boolean }) {
  const [state, setState] = useState<'idle' | 'loading' | 'error'>('idle');
  const download = async () => {
    setState('loading');
    try {
      saveBlob(await fetchFileBlob(fileUrl(file.id)), file.name);
      setState('idle');
    } catch {
      setState('error');
    }
  };
  return (
    <div
      data-attachment-file={file.id}
      className={cn('flex min-w-56 max-w-full items-center gap-2.5 rounded-lg px-2.5 py-2', inverted ? 'bg-white/15' : 'bg-slate-100 ring-1 ring-slate-200')}
    >
      <DocumentIcon className={cn('size-7 shrink-0', inverted ? 'text-indigo-100' : 'text-slate-400')} />
      <div className="min-w-0 flex-1">
        <p className="truncate font-medium" title={file.name}>
          {file.name}
        </p>
        <p className={cn('text-xs', inverted ? 'text-indigo-100' : 'text-slate-500')}>
          {state === 'error' ? "Couldn't download it. Try again." : formatFileSize(file.size)}
        </p>
      </div>
      <button
        type="button"
        onClick={() => void download()}
        disabled={state === 'loading'}
        aria-label={`Download ${file.name}`}
        title="Download"
        className={cn(
          'inline-flex size-8 shrink-0 items-center justify-center rounded-md focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:opacity-60',
          inverted ? 'hover:bg-white/20' : 'text-slate-600 hover:bg-slate-200',
        )}
      >
        {state === 'loading' ? <Spinner className="size-4" /> : <DownloadIcon className="size-4" />}
      </button>
    </div>
  );
}
