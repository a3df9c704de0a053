-- CreateTable
CREATE TABLE "PublicArticle" (
    "articleId" TEXT NOT NULL PRIMARY KEY,
    "slug" TEXT NOT NULL,
    "publishedAt" DATETIME NOT NULL,
    "json" TEXT NOT NULL,
    "etag" TEXT NOT NULL,
    "renderedAt" DATETIME NOT NULL,
    CONSTRAINT "PublicArticle_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "PublicArticle_slug_key" ON "PublicArticle"("slug");

-- CreateIndex
CREATE INDEX "PublicArticle_publishedAt_articleId_idx" ON "PublicArticle"("publishedAt", "articleId");

