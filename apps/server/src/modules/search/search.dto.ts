import { searchMessagesQuerySchema, searchMessagesResponseSchema } from '@chat/shared';
import { createZodDto } from 'nestjs-zod';

export class SearchMessagesQueryDto extends createZodDto(searchMessagesQuerySchema) {}
export class SearchMessagesResponseDto extends createZodDto(searchMessagesResponseSchema) {}
