-- AlterTable
ALTER TABLE "Article" ADD COLUMN "corrections" JSONB;
ALTER TABLE "Article" ADD COLUMN "displayUpdatedAt" DATETIME;
ALTER TABLE "Article" ADD COLUMN "editorsNote" TEXT;
ALTER TABLE "Article" ADD COLUMN "expiresAt" DATETIME;
ALTER TABLE "Article" ADD COLUMN "scheduledAt" DATETIME;

-- CreateIndex
CREATE INDEX "Article_status_scheduledAt_idx" ON "Article"("status", "scheduledAt");

-- CreateIndex
CREATE INDEX "Article_status_expiresAt_idx" ON "Article"("status", "expiresAt");

