-- CreateTable
CREATE TABLE "TranslationGroup" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
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
    "scheduledAt" DATETIME,
    "expiresAt" DATETIME,
    "displayUpdatedAt" DATETIME,
    "editorsNote" TEXT,
    "corrections" JSONB,
    "leadImageId" TEXT,
    "externalUri" TEXT,
    "deletedAt" DATETIME,
    "deletedBy" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "translationGroupId" TEXT,
    CONSTRAINT "Article_leadImageId_fkey" FOREIGN KEY ("leadImageId") REFERENCES "Image" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Article_translationGroupId_fkey" FOREIGN KEY ("translationGroupId") REFERENCES "TranslationGroup" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Article" ("corrections", "createdAt", "dateline", "dek", "deletedAt", "deletedBy", "displayUpdatedAt", "editorsNote", "expiresAt", "externalUri", "headline", "id", "language", "leadImageId", "publishedAt", "scheduledAt", "section", "seoTitle", "slug", "status", "tags", "updatedAt", "version") SELECT "corrections", "createdAt", "dateline", "dek", "deletedAt", "deletedBy", "displayUpdatedAt", "editorsNote", "expiresAt", "externalUri", "headline", "id", "language", "leadImageId", "publishedAt", "scheduledAt", "section", "seoTitle", "slug", "status", "tags", "updatedAt", "version" FROM "Article";
DROP TABLE "Article";
ALTER TABLE "new_Article" RENAME TO "Article";
CREATE UNIQUE INDEX "Article_slug_key" ON "Article"("slug");
CREATE UNIQUE INDEX "Article_externalUri_key" ON "Article"("externalUri");
CREATE INDEX "Article_createdAt_id_idx" ON "Article"("createdAt", "id");
CREATE INDEX "Article_status_createdAt_idx" ON "Article"("status", "createdAt");
CREATE INDEX "Article_status_publishedAt_id_idx" ON "Article"("status", "publishedAt", "id");
CREATE INDEX "Article_publishedAt_id_idx" ON "Article"("publishedAt", "id");
CREATE INDEX "Article_updatedAt_id_idx" ON "Article"("updatedAt", "id");
CREATE INDEX "Article_headline_id_idx" ON "Article"("headline", "id");
CREATE INDEX "Article_status_scheduledAt_idx" ON "Article"("status", "scheduledAt");
CREATE INDEX "Article_status_expiresAt_idx" ON "Article"("status", "expiresAt");
CREATE INDEX "Article_section_createdAt_idx" ON "Article"("section", "createdAt");
CREATE INDEX "Article_leadImageId_idx" ON "Article"("leadImageId");
CREATE INDEX "Article_deletedAt_id_idx" ON "Article"("deletedAt", "id");
CREATE UNIQUE INDEX "Article_translationGroupId_language_key" ON "Article"("translationGroupId", "language");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

