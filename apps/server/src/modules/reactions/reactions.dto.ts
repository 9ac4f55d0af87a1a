import { reactionParamSchema, reactionStateSchema, reactionUsersSchema } from '@chat/shared';
import { createZodDto } from 'nestjs-zod';

export class ReactionParamDto extends createZodDto(reactionParamSchema) {}
export class ReactionStateDto extends createZodDto(reactionStateSchema) {}
export class ReactionUsersDto extends createZodDto(reactionUsersSchema) {}
