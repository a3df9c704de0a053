-- CreateTable
CREATE TABLE "Author" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "title" TEXT,
    "organization" TEXT,
    "bio" TEXT,
    "email" TEXT,
    "url" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Image" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "url" TEXT NOT NULL,
    "alt" TEXT,
    "caption" TEXT,
    "width" INTEGER,
    "height" INTEGER,
    "creditPhotographer" TEXT,
    "creditAgency" TEXT,
    "creditCopyright" TEXT,
    "creditLicense" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Article" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slug" TEXT NOT NULL,
    "headline" TEXT NOT NULL,
    "seoTitle" TEXT,
    "dek" TEXT,
    "section" TEXT,
    "tags" JSONB NOT NULL,
    "dateline" TEXT,
    "language" TEXT NOT NULL DEFAULT 'en',
    "status" TEXT NOT NULL DEFAULT 'draft',
    "publishedAt" DATETIME,
    "leadImageId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Article_leadImageId_fkey" FOREIGN KEY ("leadImageId") REFERENCES "Image" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Byline" (
    "articleId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "authorId" TEXT NOT NULL,
    "role" TEXT NOT NULL,

    PRIMARY KEY ("articleId", "position"),
    CONSTRAINT "Byline_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Byline_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "Author" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "BodyBlock" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "articleId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "text" TEXT,
    "level" INTEGER,
    "attribution" TEXT,
    "slot" TEXT,
    "url" TEXT,
    "imageId" TEXT,
    "targetArticleId" TEXT,
    CONSTRAINT "BodyBlock_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "BodyBlock_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "BodyBlock_targetArticleId_fkey" FOREIGN KEY ("targetArticleId") REFERENCES "Article" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Author_slug_key" ON "Author"("slug");

-- CreateIndex
CREATE INDEX "Author_createdAt_id_idx" ON "Author"("createdAt", "id");

-- CreateIndex
CREATE INDEX "Image_createdAt_id_idx" ON "Image"("createdAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Article_slug_key" ON "Article"("slug");

-- CreateIndex
CREATE INDEX "Article_createdAt_id_idx" ON "Article"("createdAt", "id");

-- CreateIndex
CREATE INDEX "Article_status_createdAt_idx" ON "Article"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Article_section_createdAt_idx" ON "Article"("section", "createdAt");

-- CreateIndex
CREATE INDEX "Article_leadImageId_idx" ON "Article"("leadImageId");

-- CreateIndex
CREATE INDEX "Byline_authorId_idx" ON "Byline"("authorId");

-- CreateIndex
CREATE INDEX "BodyBlock_articleId_position_idx" ON "BodyBlock"("articleId", "position");

-- CreateIndex
CREATE INDEX "BodyBlock_imageId_idx" ON "BodyBlock"("imageId");

-- CreateIndex
CREATE INDEX "BodyBlock_targetArticleId_idx" ON "BodyBlock"("targetArticleId");

