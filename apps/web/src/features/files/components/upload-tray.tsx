import { XMarkIcon } from '../../../components/ui/icons';
import { cn } from '../../../lib/cn';
import { formatFileSize, isImage } from '../lib/format-size';
import { type Upload, uploadProgress } from '../lib/upload-state';
import { DocumentIcon, PhotoIcon } from '../../../components/ui/icons';

export interface UploadTrayProps {
  uploads: readonly Upload[];
  onRetry: (key: string) => void;
  onRemove: (key: string) => void;
  /** Shown under the chips (more than ten picked). */
  notice?: string | null;
}

/** The files picked for the next message, above the composer. */
export function UploadTray({ uploads, onRetry, onRemove, notice }: UploadTrayProps) {
  if (uploads.length === 0 && !notice) return null;
  return (
    <div className="mb-2">
      <ul aria-label="Attachments" className="flex flex-wrap gap-2">
        {uploads.map((upload) => (
          <UploadChip key={upload.key} upload={upload} onRetry={onRetry} onRemove={onRemove} />
        ))}
      </ul>
      {notice && (
        <p role="status" className="mt-1 text-xs text-amber-700">
          {notice}
        </p>
      )}
    </div>
  );
}

function UploadChip({ upload, onRetry, onRemove }: { upload: Upload; onRetry: (key: string) => void; onRemove: (key: string) => void }) {
  const { name, size, type } = upload.file;
  const failed = upload.status === 'failed';
  const Icon = isImage(type) ? PhotoIcon : DocumentIcon;
  return (
    <li
      data-upload-status={upload.status}
      className={cn(
        'flex w-60 max-w-full items-start gap-2 rounded-xl px-2.5 py-2 text-xs ring-1',
        failed ? 'bg-red-50 ring-red-300' : 'bg-slate-50 ring-slate-200',
      )}
    >
      <Icon className={cn('mt-0.5 size-5 shrink-0', failed ? 'text-red-500' : 'text-slate-400')} />
      <div className="min-w-0 flex-1">
        <p className="truncate font-medium text-slate-800" title={name}>
          {name}
        </p>
        <p className="text-slate-500">{formatFileSize(size)}</p>
        {upload.status === 'uploading' && (
          <div
            role="progressbar"
            aria-label={`Uploading ${name}`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(uploadProgress(upload) * 100)}
            className="mt-1 h-1 overflow-hidden rounded-full bg-slate-200"
          >
            <div className="h-full bg-indigo-500 transition-[width]" style={{ width: `${uploadProgress(upload) * 100}%` }} />
          </div>
        )}
        {failed && (
          <div className="mt-0.5">
            <p role="alert" className="text-red-700">
              {upload.error}
            </p>
            <button
              type="button"
              onClick={() => onRetry(upload.key)}
              className="mt-0.5 font-semibold text-red-700 hover:underline focus-visible:outline-2 focus-visible:outline-red-600"
            >
              Retry
            </button>
          </div>
        )}
      </div>
      <button
        type="button"
        onClick={() => onRemove(upload.key)}
        aria-label={upload.status === 'uploading' ? `Cancel upload of ${name}` : `Remove ${name}`}
        title={upload.status === 'uploading' ? 'Cancel' : 'Remove'}
        className="-m-1 shrink-0 rounded-md p-1 text-slate-400 hover:bg-slate-200 hover:text-slate-700 focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        <XMarkIcon className="size-4" />
      </button>
    </li>
  );
}
