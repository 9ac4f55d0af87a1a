ALTER TYPE "public"."message_content_type" ADD VALUE 'system';--> statement-breakpoint
ALTER TABLE "conversation_participants" ADD COLUMN "last_sent_seq" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "system" jsonb;