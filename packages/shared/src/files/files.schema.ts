import { z } from 'zod';
import { uuidSchema } from '../common/id.schema';

/** The multipart field that carries the file of POST /api/files. */
export const UPLOAD_FILE_FIELD = 'file';

/** GET /api/files/{id}. */
export const fileIdParamSchema = z.object({ id: uuidSchema });

/** POST /api/files answers with the stored file; its bytes are at GET /api/files/{id}. */
export const uploadedFileSchema = z.object({
  id: uuidSchema,
  /** The client's file name, sanitised for display (no path, no control characters, at most 255 UTF-8 bytes). */
  name: z.string(),
  /** In bytes. */
  size: z.number().int().min(0),
  /** Sniffed from the file's bytes; `application/octet-stream` when unknown. */
  mimeType: z.string(),
  /** Of an image, upright; known once its thumbnail is made. */
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  /** `/api/files/{id}/thumbnail` once an image's thumbnail is made (in the background, after the upload). */
  thumbnailUrl: z.string().optional(),
});

export type UploadedFile = z.infer<typeof uploadedFileSchema>;
