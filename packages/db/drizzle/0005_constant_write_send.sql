DROP INDEX "participants_user_activity_idx";--> statement-breakpoint
DROP INDEX "conversations_activity_idx";--> statement-breakpoint
ALTER TABLE "conversation_participants" DROP COLUMN "last_activity_at";--> statement-breakpoint
ALTER TABLE "conversation_participants" DROP COLUMN "conversation_deleted_at";--> statement-breakpoint
-- Every send updates its conversation's row and the sender's membership row; room in each page lets
-- those updates stay HOT (no index entries written). Applies to pages written from now on.
ALTER TABLE "conversations" SET (fillfactor = 80);--> statement-breakpoint
ALTER TABLE "conversation_participants" SET (fillfactor = 80);
