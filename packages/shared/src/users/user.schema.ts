import { z } from 'zod';
import { displayNameSchema } from './display-name.schema';
import { isoDateTimeSchema, uuidSchema } from '../common/id.schema';
import { notificationDefaultsSchema } from '../notifications/notification.schema';

export const PRESENCE_SHARING = ['everyone', 'friends', 'nobody'] as const;
export const presenceSharingSchema = z.enum(PRESENCE_SHARING);

/** What anyone who may see a user is shown: never email settings or secrets. */
export const publicUserSchema = z.object({
  id: uuidSchema,
  displayName: z.string(),
});

export const userSettingsSchema = z.object({
  readReceiptsEnabled: z.boolean(),
  presenceEnabled: z.boolean(),
  presenceSharing: presenceSharingSchema,
  /** Levels of conversations without one of their own. */
  notificationDefaults: notificationDefaultsSchema,
  /** Whether push notifications may show the message text. */
  pushPreview: z.boolean(),
});

/** The signed-in user's own view of themselves. */
export const userSchema = z.object({
  id: uuidSchema,
  email: z.email(),
  displayName: z.string(),
  createdAt: isoDateTimeSchema,
  settings: userSettingsSchema,
});

export type PresenceSharing = z.infer<typeof presenceSharingSchema>;
export type PublicUser = z.infer<typeof publicUserSchema>;
export type UserSettings = z.infer<typeof userSettingsSchema>;
export type User = z.infer<typeof userSchema>;

export const updateUserSettingsRequestSchema = z
  .object({
    readReceiptsEnabled: z.boolean().optional(),
    presenceEnabled: z.boolean().optional(),
    presenceSharing: presenceSharingSchema.optional(),
    /** Only the levels given change. */
    notificationDefaults: notificationDefaultsSchema
      .partial()
      .refine((value) => Object.values(value).some((v) => v !== undefined), { error: 'Name at least one default level' })
      .optional(),
    pushPreview: z.boolean().optional(),
  })
  .refine((value) => Object.values(value).some((v) => v !== undefined), { error: 'Nothing to update' });

export type UpdateUserSettingsRequest = z.infer<typeof updateUserSettingsRequestSchema>;

/** PATCH /api/users/me: the profile fields a user may change. */
export const updateProfileRequestSchema = z.object({
  displayName: displayNameSchema,
});
export type UpdateProfileRequest = z.infer<typeof updateProfileRequestSchema>;
