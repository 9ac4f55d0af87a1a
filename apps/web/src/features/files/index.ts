export { fetchFileBlob, fileUrl } from './api/files-api';
export { AttachButton } from './components/attach-button';
export { DropOverlay } from './components/drop-overlay';
export { MessageAttachments } from './components/message-attachments';
export { UploadTray } from './components/upload-tray';
export { useComposerFiles } from './hooks/use-composer-files';
export { pastedFiles, useFileDrop } from './hooks/use-file-drop';
export { type Uploads, useUploads } from './hooks/use-uploads';
export { formatFileSize } from './lib/format-size';
