-- Stored public forms are derived data: dropped here and rendered again, with
-- their summaries, when the server starts (storeMissingPublicArticles) or by
-- `npm run public:rebuild`.
DELETE FROM "PublicArticle";

-- AlterTable
ALTER TABLE "PublicArticle" ADD COLUMN     "section" TEXT,
ADD COLUMN     "summary" TEXT NOT NULL;

-- CreateIndex
CREATE INDEX "Article_status_publishedAt_id_idx" ON "Article"("status", "publishedAt", "id");

-- CreateIndex
CREATE INDEX "PublicArticle_section_publishedAt_articleId_idx" ON "PublicArticle"("section", "publishedAt", "articleId");

