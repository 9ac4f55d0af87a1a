import type { UploadedFile } from '@chat/shared';
import { useEffect } from 'react';
import { Dialog } from '../../../components/ui/dialog';
import { Spinner } from '../../../components/ui/spinner';
import { fileUrl } from '../api/files-api';
import { useFileObjectUrl } from '../api/use-file-object-url';
import { formatFileSize } from '../lib/format-size';
import { ChevronLeftIcon, ChevronRightIcon, DownloadIcon } from '../../../components/ui/icons';

export interface ImageViewerProps {
  images: readonly UploadedFile[];
  /** The one shown; null: closed. */
  index: number | null;
  onIndexChange: (index: number) => void;
  onClose: () => void;
}

/** The original of a message's image, full size; Left and Right move between its images, Esc closes. */
export function ImageViewer({ images, index, onIndexChange, onClose }: ImageViewerProps) {
  const image = index === null ? undefined : images[index];
  return (
    <Dialog open={image !== undefined} onClose={onClose} title={image?.name ?? ''} className="sm:max-w-4xl">
      {image && index !== null && <ViewerBody images={images} index={index} image={image} onIndexChange={onIndexChange} />}
    </Dialog>
  );
}

function ViewerBody({
  images,
  index,
  image,
  onIndexChange,
}: {
  images: readonly UploadedFile[];
  index: number;
  image: UploadedFile;
  onIndexChange: (index: number) => void;
}) {
  const original = useFileObjectUrl(fileUrl(image.id));
  const count = images.length;

  useEffect(() => {
    if (count < 2) return;
    const handleKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'ArrowLeft') onIndexChange((index - 1 + count) % count);
      else if (event.key === 'ArrowRight') onIndexChange((index + 1) % count);
    };
    document.addEventListener('keydown', handleKeyDown);
    return () => document.removeEventListener('keydown', handleKeyDown);
  }, [index, count, onIndexChange]);

  const navButton =
    'inline-flex size-9 items-center justify-center rounded-full bg-white/90 text-slate-700 shadow ring-1 ring-slate-200 hover:bg-white focus-visible:outline-2 focus-visible:outline-indigo-600';
  return (
    <div className="flex min-h-0 flex-col gap-3 px-5 pb-5">
      <div className="relative flex min-h-48 items-center justify-center overflow-hidden rounded-lg bg-slate-900/5">
        {original.data ? (
          <img src={original.data} alt={image.name} className="max-h-[70dvh] max-w-full object-contain" />
        ) : original.isError ? (
          <p className="text-sm text-red-700">Couldn't load the image.</p>
        ) : (
          <Spinner className="size-5" />
        )}
        {count > 1 && (
          <>
            <button
              type="button"
              aria-label="Previous image"
              onClick={() => onIndexChange((index - 1 + count) % count)}
              className={`${navButton} absolute left-2`}
            >
              <ChevronLeftIcon />
            </button>
            <button type="button" aria-label="Next image" onClick={() => onIndexChange((index + 1) % count)} className={`${navButton} absolute right-2`}>
              <ChevronRightIcon />
            </button>
          </>
        )}
      </div>
      <div className="flex items-center justify-between gap-3 text-sm text-slate-500">
        <span>
          {count > 1 && `${index + 1} of ${count} · `}
          {formatFileSize(image.size)}
        </span>
        {original.data && (
          <a
            href={original.data}
            download={image.name}
            className="inline-flex items-center gap-1.5 rounded-lg px-2.5 py-1.5 font-semibold text-indigo-600 hover:bg-indigo-50 focus-visible:outline-2 focus-visible:outline-indigo-600"
          >
            <DownloadIcon className="size-4" />
            Download
          </a>
        )}
      </div>
    </div>
  );
}
