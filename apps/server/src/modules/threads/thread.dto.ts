import { listThreadsQuerySchema, threadPageSchema, threadReadRequestSchema, threadReadStateSchema } from '@chat/shared';
import { createZodDto } from 'nestjs-zod';

export class ThreadReadRequestDto extends createZodDto(threadReadRequestSchema) {}
export class ThreadReadStateDto extends createZodDto(threadReadStateSchema) {}
export class ListThreadsQueryDto extends createZodDto(listThreadsQuerySchema) {}
export class ThreadPageDto extends createZodDto(threadPageSchema) {}
