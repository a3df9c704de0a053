-- CreateTable
CREATE TABLE "PublicArticle" (
    "articleId" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "publishedAt" TIMESTAMPTZ(3) NOT NULL,
    "json" TEXT NOT NULL,
    "etag" TEXT NOT NULL,
    "renderedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PublicArticle_pkey" PRIMARY KEY ("articleId")
);

-- CreateIndex
CREATE UNIQUE INDEX "PublicArticle_slug_key" ON "PublicArticle"("slug");

-- CreateIndex
CREATE INDEX "PublicArticle_publishedAt_articleId_idx" ON "PublicArticle"("publishedAt", "articleId");

-- AddForeignKey
ALTER TABLE "PublicArticle" ADD CONSTRAINT "PublicArticle_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article"("id") ON DELETE CASCADE ON UPDATE CASCADE;

