import { presenceBatchQuerySchema, presenceBatchResponseSchema, presenceSchema, userIdParamSchema } from '@chat/shared';
import { createZodDto } from 'nestjs-zod';

export class PresenceDto extends createZodDto(presenceSchema) {}
export class PresenceBatchQueryDto extends createZodDto(presenceBatchQuerySchema) {}
export class PresenceBatchResponseDto extends createZodDto(presenceBatchResponseSchema) {}
export class UserIdParamDto extends createZodDto(userIdParamSchema) {}
