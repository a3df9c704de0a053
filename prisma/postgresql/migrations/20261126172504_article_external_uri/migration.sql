-- AlterTable
ALTER TABLE "Article" ADD COLUMN     "externalUri" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Article_externalUri_key" ON "Article"("externalUri");

