-- AlterTable
ALTER TABLE "Article" ADD COLUMN     "corrections" JSONB,
ADD COLUMN     "displayUpdatedAt" TIMESTAMPTZ(3),
ADD COLUMN     "editorsNote" TEXT,
ADD COLUMN     "expiresAt" TIMESTAMPTZ(3),
ADD COLUMN     "scheduledAt" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "Article_status_scheduledAt_idx" ON "Article"("status", "scheduledAt");

-- CreateIndex
CREATE INDEX "Article_status_expiresAt_idx" ON "Article"("status", "expiresAt");

