import { updateProfileRequestSchema, updateUserSettingsRequestSchema, userSearchQuerySchema, userSearchResponseSchema, userSettingsSchema } from '@chat/shared';
import { createZodDto } from 'nestjs-zod';

export class UpdateProfileDto extends createZodDto(updateProfileRequestSchema) {}

export class UserSearchQueryDto extends createZodDto(userSearchQuerySchema) {}
export class UserSearchResponseDto extends createZodDto(userSearchResponseSchema) {}
export class UserSettingsDto extends createZodDto(userSettingsSchema) {}
export class UpdateUserSettingsDto extends createZodDto(updateUserSettingsRequestSchema) {}
