ALTER TABLE "files" ADD COLUMN "thumbnail_key" text;--> statement-breakpoint
ALTER TABLE "files" ADD COLUMN "thumbnail_state" text;--> statement-breakpoint
CREATE INDEX "files_thumbnail_pending_idx" ON "files" USING btree ("created_at") WHERE "files"."thumbnail_state" = 'pending';--> statement-breakpoint
ALTER TABLE "files" ADD CONSTRAINT "files_thumbnail_state_check" CHECK ("files"."thumbnail_state" in ('pending', 'ready', 'none'));