-- AlterTable
ALTER TABLE "Article" ADD COLUMN "deletedAt" DATETIME;
ALTER TABLE "Article" ADD COLUMN "deletedBy" TEXT;

-- CreateIndex
CREATE INDEX "Article_deletedAt_id_idx" ON "Article"("deletedAt", "id");

