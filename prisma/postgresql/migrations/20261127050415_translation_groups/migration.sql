-- AlterTable
ALTER TABLE "Article" ADD COLUMN     "translationGroupId" TEXT;

-- CreateTable
CREATE TABLE "TranslationGroup" (
    "id" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TranslationGroup_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Article_translationGroupId_language_key" ON "Article"("translationGroupId", "language");

-- AddForeignKey
ALTER TABLE "Article" ADD CONSTRAINT "Article_translationGroupId_fkey" FOREIGN KEY ("translationGroupId") REFERENCES "TranslationGroup"("id") ON DELETE SET NULL ON UPDATE CASCADE;

