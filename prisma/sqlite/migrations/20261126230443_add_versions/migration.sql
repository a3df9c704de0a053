-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Author" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "title" TEXT,
    "organization" TEXT,
    "bio" TEXT,
    "email" TEXT,
    "url" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Author" ("bio", "createdAt", "email", "id", "name", "organization", "slug", "title", "updatedAt", "url") SELECT "bio", "createdAt", "email", "id", "name", "organization", "slug", "title", "updatedAt", "url" FROM "Author";
DROP TABLE "Author";
ALTER TABLE "new_Author" RENAME TO "Author";
CREATE UNIQUE INDEX "Author_slug_key" ON "Author"("slug");
CREATE INDEX "Author_createdAt_id_idx" ON "Author"("createdAt", "id");
CREATE TABLE "new_Image" (
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
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Image" ("alt", "caption", "createdAt", "creditAgency", "creditCopyright", "creditLicense", "creditPhotographer", "height", "id", "updatedAt", "url", "width") SELECT "alt", "caption", "createdAt", "creditAgency", "creditCopyright", "creditLicense", "creditPhotographer", "height", "id", "updatedAt", "url", "width" FROM "Image";
DROP TABLE "Image";
ALTER TABLE "new_Image" RENAME TO "Image";
CREATE INDEX "Image_createdAt_id_idx" ON "Image"("createdAt", "id");
CREATE TABLE "new_Article" (
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
    "externalUri" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Article_leadImageId_fkey" FOREIGN KEY ("leadImageId") REFERENCES "Image" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Article" ("createdAt", "dateline", "dek", "externalUri", "headline", "id", "language", "leadImageId", "publishedAt", "section", "seoTitle", "slug", "status", "tags", "updatedAt") SELECT "createdAt", "dateline", "dek", "externalUri", "headline", "id", "language", "leadImageId", "publishedAt", "section", "seoTitle", "slug", "status", "tags", "updatedAt" FROM "Article";
DROP TABLE "Article";
ALTER TABLE "new_Article" RENAME TO "Article";
CREATE UNIQUE INDEX "Article_slug_key" ON "Article"("slug");
CREATE UNIQUE INDEX "Article_externalUri_key" ON "Article"("externalUri");
CREATE INDEX "Article_createdAt_id_idx" ON "Article"("createdAt", "id");
CREATE INDEX "Article_status_createdAt_idx" ON "Article"("status", "createdAt");
CREATE INDEX "Article_status_publishedAt_id_idx" ON "Article"("status", "publishedAt", "id");
CREATE INDEX "Article_section_createdAt_idx" ON "Article"("section", "createdAt");
CREATE INDEX "Article_leadImageId_idx" ON "Article"("leadImageId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;


-- Stored public forms are derived data: dropped here and rendered again, now
-- with the versions of the article and of the authors and images it shows,
-- when the server starts (storeMissingPublicArticles) or by `npm run public:rebuild`.
DELETE FROM "PublicArticle";
