-- Stored public forms are derived data: dropped here and rendered again, with
-- their summaries, when the server starts (storeMissingPublicArticles) or by
-- `npm run public:rebuild`.
-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_PublicArticle" (
    "articleId" TEXT NOT NULL PRIMARY KEY,
    "slug" TEXT NOT NULL,
    "publishedAt" DATETIME NOT NULL,
    "section" TEXT,
    "json" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "etag" TEXT NOT NULL,
    "renderedAt" DATETIME NOT NULL,
    CONSTRAINT "PublicArticle_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
DROP TABLE "PublicArticle";
ALTER TABLE "new_PublicArticle" RENAME TO "PublicArticle";
CREATE UNIQUE INDEX "PublicArticle_slug_key" ON "PublicArticle"("slug");
CREATE INDEX "PublicArticle_publishedAt_articleId_idx" ON "PublicArticle"("publishedAt", "articleId");
CREATE INDEX "PublicArticle_section_publishedAt_articleId_idx" ON "PublicArticle"("section", "publishedAt", "articleId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Article_status_publishedAt_id_idx" ON "Article"("status", "publishedAt", "id");

