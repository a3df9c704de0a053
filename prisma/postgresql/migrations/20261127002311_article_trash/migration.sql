-- AlterTable
ALTER TABLE "Article" ADD COLUMN     "deletedAt" TIMESTAMPTZ(3),
ADD COLUMN     "deletedBy" TEXT;

-- CreateIndex
CREATE INDEX "Article_deletedAt_id_idx" ON "Article"("deletedAt", "id");

