import { fileIdParamSchema, uploadedFileSchema } from '@chat/shared';
import { createZodDto } from 'nestjs-zod';

export class FileIdParamDto extends createZodDto(fileIdParamSchema) {}
export class UploadedFileDto extends createZodDto(uploadedFileSchema) {}
