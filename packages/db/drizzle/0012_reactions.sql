CREATE TABLE "message_reactions" (
	"message_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"emoji" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	CONSTRAINT "message_reactions_message_id_user_id_emoji_pk" PRIMARY KEY("message_id","user_id","emoji")
);
--> statement-breakpoint
DROP INDEX "messages_conversation_updated_idx";--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "reactions_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "message_reactions" ADD CONSTRAINT "message_reactions_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_reactions" ADD CONSTRAINT "message_reactions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "message_reactions_message_emoji_idx" ON "message_reactions" USING btree ("message_id","emoji","created_at");--> statement-breakpoint
CREATE INDEX "messages_conversation_updated_idx" ON "messages" USING btree ("conversation_id","updated_at") WHERE "messages"."edited_at" is not null or "messages"."deleted_at" is not null or "messages"."reactions_version" > 0;