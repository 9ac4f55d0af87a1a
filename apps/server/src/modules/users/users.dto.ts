import { userSearchQuerySchema, userSearchResponseSchema } from '@chat/shared';
import { createZodDto } from 'nestjs-zod';

export class UserSearchQueryDto extends createZodDto(userSearchQuerySchema) {}
export class UserSearchResponseDto extends createZodDto(userSearchResponseSchema) {}
