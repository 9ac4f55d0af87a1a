ALTER TABLE "users" ADD COLUMN "notify_direct" text DEFAULT 'all' NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "notify_group" text DEFAULT 'all' NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "notify_large_group" text DEFAULT 'mentions' NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "push_preview" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "conversation_participants" ADD COLUMN "notification_level" text;--> statement-breakpoint
ALTER TABLE "conversation_participants" ADD COLUMN "muted_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_notify_direct_check" CHECK ("users"."notify_direct" in ('all', 'mentions', 'none'));--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_notify_group_check" CHECK ("users"."notify_group" in ('all', 'mentions', 'none'));--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_notify_large_group_check" CHECK ("users"."notify_large_group" in ('all', 'mentions', 'none'));--> statement-breakpoint
ALTER TABLE "conversation_participants" ADD CONSTRAINT "participants_notification_level_check" CHECK ("conversation_participants"."notification_level" in ('all', 'mentions', 'none'));