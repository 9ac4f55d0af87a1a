import { markReadRequestSchema, markReadResultSchema, messageIdParamSchema, messageReceiptsSchema } from '@chat/shared';
import { createZodDto } from 'nestjs-zod';

export class MarkReadDto extends createZodDto(markReadRequestSchema) {}
export class MarkReadResultDto extends createZodDto(markReadResultSchema) {}
export class MessageIdParamDto extends createZodDto(messageIdParamSchema) {}
export class MessageReceiptsDto extends createZodDto(messageReceiptsSchema) {}
