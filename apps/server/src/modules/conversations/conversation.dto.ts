import {
  addParticipantsRequestSchema,
  conversationDetailSchema,
  conversationIdParamSchema,
  conversationPageSchema,
  conversationNotificationsSchema,
  conversationPreviewSchema,
  createConversationRequestSchema,
  listConversationsQuerySchema,
  participantParamSchema,
  updateConversationNotificationsRequestSchema,
  updateConversationRequestSchema,
} from '@chat/shared';
import { createZodDto } from 'nestjs-zod';

export class CreateConversationDto extends createZodDto(createConversationRequestSchema) {}
export class UpdateConversationDto extends createZodDto(updateConversationRequestSchema) {}
export class AddParticipantsDto extends createZodDto(addParticipantsRequestSchema) {}
export class ListConversationsQueryDto extends createZodDto(listConversationsQuerySchema) {}
export class ConversationIdParamDto extends createZodDto(conversationIdParamSchema) {}
export class ParticipantParamDto extends createZodDto(participantParamSchema) {}
export class ConversationDetailDto extends createZodDto(conversationDetailSchema) {}
export class ConversationPreviewDto extends createZodDto(conversationPreviewSchema) {}
export class ConversationPageDto extends createZodDto(conversationPageSchema) {}
export class UpdateConversationNotificationsDto extends createZodDto(updateConversationNotificationsRequestSchema) {}
export class ConversationNotificationsDto extends createZodDto(conversationNotificationsSchema) {}
