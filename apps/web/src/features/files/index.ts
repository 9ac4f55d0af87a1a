export { fetchFileBlob, fileUrl } from './api/files-api';
export { AttachButton } from './components/attach-button';
export { MessageAttachments } from './components/message-attachments';
export { UploadTray } from './components/upload-tray';
export { pastedFiles, useFileDrop } from './hooks/use-file-drop';
export { type Uploads, useUploads } from './hooks/use-uploads';
export { formatFileSize } from './lib/format-size';
