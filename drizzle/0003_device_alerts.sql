ALTER TABLE "sessions" ADD COLUMN "country_code" text;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "device_key" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "new_device" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "new_country" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "name" text;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "report_secret_hash" text;--> statement-breakpoint
CREATE INDEX "sessions_user_device_idx" ON "sessions" USING btree ("user_id","device_key");--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_report_secret_hash_key" ON "sessions" USING btree ("report_secret_hash") WHERE "sessions"."report_secret_hash" is not null;--> statement-breakpoint
-- Sessions created before this migration get the device key that sign-in now computes (names
-- are stored without versions; only the Windows release is dropped), so the first sign-in
-- after an upgrade is not reported as a new device.
UPDATE "sessions" SET "device_key" = lower(coalesce("browser", 'unknown') || '|' || coalesce(regexp_replace("os", ' [0-9]+$', ''), 'unknown') || '|' || "device_type");
