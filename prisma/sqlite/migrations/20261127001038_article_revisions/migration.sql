-- CreateTable
CREATE TABLE "ArticleRevision" (
    "articleId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "changePosition" INTEGER,
    "action" TEXT NOT NULL,
    "apiKeyId" TEXT,
    "apiKeyName" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "content" TEXT NOT NULL,

    PRIMARY KEY ("articleId", "version"),
    CONSTRAINT "ArticleRevision_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

