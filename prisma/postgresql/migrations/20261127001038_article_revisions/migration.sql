-- CreateTable
CREATE TABLE "ArticleRevision" (
    "articleId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "changePosition" INTEGER,
    "action" TEXT NOT NULL,
    "apiKeyId" TEXT,
    "apiKeyName" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "content" TEXT NOT NULL,

    CONSTRAINT "ArticleRevision_pkey" PRIMARY KEY ("articleId","version")
);

-- AddForeignKey
ALTER TABLE "ArticleRevision" ADD CONSTRAINT "ArticleRevision_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article"("id") ON DELETE CASCADE ON UPDATE CASCADE;

