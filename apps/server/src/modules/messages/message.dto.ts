import {
  editMessageRequestSchema,
  messageHistoryQuerySchema,
  messagePageSchema,
  messageParamSchema,
  messageSchema,
  sendMessageRequestSchema,
  threadRepliesPageSchema,
  threadRepliesQuerySchema,
  threadRootParamSchema,
} from '@chat/shared';
import { createZodDto } from 'nestjs-zod';

export class SendMessageDto extends createZodDto(sendMessageRequestSchema) {}
export class EditMessageDto extends createZodDto(editMessageRequestSchema) {}
export class MessageHistoryQueryDto extends createZodDto(messageHistoryQuerySchema) {}
export class MessageParamDto extends createZodDto(messageParamSchema) {}
export class MessageDto extends createZodDto(messageSchema) {}
export class MessagePageDto extends createZodDto(messagePageSchema) {}
export class ThreadRepliesQueryDto extends createZodDto(threadRepliesQuerySchema) {}
export class ThreadRootParamDto extends createZodDto(threadRootParamSchema) {}
export class ThreadRepliesPageDto extends createZodDto(threadRepliesPageSchema) {}
