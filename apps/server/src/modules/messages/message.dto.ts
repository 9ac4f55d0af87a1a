import {
  editMessageRequestSchema,
  messageHistoryQuerySchema,
  messagePageSchema,
  messageParamSchema,
  messageSchema,
  sendMessageRequestSchema,
} from '@chat/shared';
import { createZodDto } from 'nestjs-zod';

export class SendMessageDto extends createZodDto(sendMessageRequestSchema) {}
export class EditMessageDto extends createZodDto(editMessageRequestSchema) {}
export class MessageHistoryQueryDto extends createZodDto(messageHistoryQuerySchema) {}
export class MessageParamDto extends createZodDto(messageParamSchema) {}
export class MessageDto extends createZodDto(messageSchema) {}
export class MessagePageDto extends createZodDto(messagePageSchema) {}
