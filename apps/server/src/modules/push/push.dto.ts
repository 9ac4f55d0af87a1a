import { pushSubscriptionIdParamSchema, pushSubscriptionRequestSchema, pushSubscriptionSchema, vapidPublicKeySchema } from '@chat/shared';
import { createZodDto } from 'nestjs-zod';

export class PushSubscriptionRequestDto extends createZodDto(pushSubscriptionRequestSchema) {}
export class PushSubscriptionDto extends createZodDto(pushSubscriptionSchema) {}
export class PushSubscriptionIdParamDto extends createZodDto(pushSubscriptionIdParamSchema) {}
export class VapidPublicKeyDto extends createZodDto(vapidPublicKeySchema) {}
