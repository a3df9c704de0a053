-- CreateTable
CREATE TABLE "ArticleTag" (
    "articleId" TEXT NOT NULL,
    "tag" TEXT NOT NULL,

    PRIMARY KEY ("articleId", "tag"),
    CONSTRAINT "ArticleTag_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PublicArticleTag" (
    "tag" TEXT NOT NULL,
    "articleId" TEXT NOT NULL,
    "publishedAt" DATETIME NOT NULL,
    "section" TEXT,

    PRIMARY KEY ("tag", "articleId"),
    CONSTRAINT "PublicArticleTag_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "PublicArticle" ("articleId") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PublicArticleAuthor" (
    "authorId" TEXT NOT NULL,
    "articleId" TEXT NOT NULL,
    "publishedAt" DATETIME NOT NULL,

    PRIMARY KEY ("authorId", "articleId"),
    CONSTRAINT "PublicArticleAuthor_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "PublicArticle" ("articleId") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_PublicArticle" (
    "articleId" TEXT NOT NULL PRIMARY KEY,
    "slug" TEXT NOT NULL,
    "publishedAt" DATETIME NOT NULL,
    "section" TEXT,
    "language" TEXT NOT NULL,
    "headline" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "json" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "etag" TEXT NOT NULL,
    "renderedAt" DATETIME NOT NULL,
    CONSTRAINT "PublicArticle_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- The new columns are the article columns (what its stored summary shows).
INSERT INTO "new_PublicArticle" ("articleId", "etag", "json", "publishedAt", "renderedAt", "section", "slug", "summary", "language", "headline", "createdAt", "updatedAt")
SELECT p."articleId", p."etag", p."json", p."publishedAt", p."renderedAt", p."section", p."slug", p."summary", a."language", a."headline", a."createdAt", a."updatedAt"
FROM "PublicArticle" p JOIN "Article" a ON a."id" = p."articleId";
DROP TABLE "PublicArticle";
ALTER TABLE "new_PublicArticle" RENAME TO "PublicArticle";
CREATE UNIQUE INDEX "PublicArticle_slug_key" ON "PublicArticle"("slug");
CREATE INDEX "PublicArticle_publishedAt_articleId_idx" ON "PublicArticle"("publishedAt", "articleId");
CREATE INDEX "PublicArticle_section_publishedAt_articleId_idx" ON "PublicArticle"("section", "publishedAt", "articleId");
CREATE INDEX "PublicArticle_language_publishedAt_articleId_idx" ON "PublicArticle"("language", "publishedAt", "articleId");
CREATE INDEX "PublicArticle_updatedAt_articleId_idx" ON "PublicArticle"("updatedAt", "articleId");
CREATE INDEX "PublicArticle_createdAt_articleId_idx" ON "PublicArticle"("createdAt", "articleId");
CREATE INDEX "PublicArticle_headline_articleId_idx" ON "PublicArticle"("headline", "articleId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "ArticleTag_tag_articleId_idx" ON "ArticleTag"("tag", "articleId");

-- CreateIndex
CREATE INDEX "PublicArticleTag_tag_publishedAt_articleId_idx" ON "PublicArticleTag"("tag", "publishedAt", "articleId");

-- CreateIndex
CREATE INDEX "PublicArticleTag_tag_section_publishedAt_articleId_idx" ON "PublicArticleTag"("tag", "section", "publishedAt", "articleId");

-- CreateIndex
CREATE INDEX "PublicArticleTag_articleId_idx" ON "PublicArticleTag"("articleId");

-- CreateIndex
CREATE INDEX "PublicArticleAuthor_authorId_publishedAt_articleId_idx" ON "PublicArticleAuthor"("authorId", "publishedAt", "articleId");

-- CreateIndex
CREATE INDEX "PublicArticleAuthor_articleId_idx" ON "PublicArticleAuthor"("articleId");

-- CreateIndex
CREATE INDEX "Author_organization_createdAt_id_idx" ON "Author"("organization", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Author_name_id_idx" ON "Author"("name", "id");

-- CreateIndex
CREATE INDEX "Image_creditPhotographer_createdAt_id_idx" ON "Image"("creditPhotographer", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Image_creditAgency_createdAt_id_idx" ON "Image"("creditAgency", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Article_publishedAt_id_idx" ON "Article"("publishedAt", "id");

-- CreateIndex
CREATE INDEX "Article_updatedAt_id_idx" ON "Article"("updatedAt", "id");

-- CreateIndex
CREATE INDEX "Article_headline_id_idx" ON "Article"("headline", "id");


-- Existing databases: the tag and byline rows of what is there. From here on
-- they are written with the articles (article-tags.ts) and their stored public
-- forms (public-articles.ts), and `npm run public:rebuild -- --verify` checks them.
INSERT INTO "ArticleTag" ("articleId", "tag")
SELECT DISTINCT a."id", t."value" FROM "Article" a, json_each(a."tags") t WHERE t."type" = 'text';

INSERT INTO "PublicArticleTag" ("tag", "articleId", "publishedAt", "section")
SELECT DISTINCT t."value", p."articleId", p."publishedAt", p."section"
FROM "PublicArticle" p JOIN "Article" a ON a."id" = p."articleId", json_each(a."tags") t WHERE t."type" = 'text';

INSERT INTO "PublicArticleAuthor" ("authorId", "articleId", "publishedAt")
SELECT DISTINCT b."authorId", p."articleId", p."publishedAt" FROM "PublicArticle" p JOIN "Byline" b ON b."articleId" = p."articleId";
