-- Headlines and author names sort in byte order (code point order of UTF-8),
-- as the BINARY collation of SQLite does, whatever the locale of the database: the same
-- order on both engines. The Prisma schema cannot say COLLATE (its diff ignores
-- collations), so it is said here: the indexes below are built in it.
ALTER TABLE "Article" ALTER COLUMN "headline" TYPE TEXT COLLATE "C";
ALTER TABLE "Author" ALTER COLUMN "name" TYPE TEXT COLLATE "C";

-- AlterTable: the new columns are the article columns (what its stored summary
-- shows), filled in before they become NOT NULL.
ALTER TABLE "PublicArticle" ADD COLUMN     "createdAt" TIMESTAMPTZ(3),
ADD COLUMN     "headline" TEXT COLLATE "C",
ADD COLUMN     "language" TEXT,
ADD COLUMN     "updatedAt" TIMESTAMPTZ(3);
UPDATE "PublicArticle" p SET "createdAt" = a."createdAt", "headline" = a."headline", "language" = a."language", "updatedAt" = a."updatedAt"
FROM "Article" a WHERE a."id" = p."articleId";
ALTER TABLE "PublicArticle" ALTER COLUMN "createdAt" SET NOT NULL,
ALTER COLUMN "headline" SET NOT NULL,
ALTER COLUMN "language" SET NOT NULL,
ALTER COLUMN "updatedAt" SET NOT NULL;

-- CreateTable
CREATE TABLE "ArticleTag" (
    "articleId" TEXT NOT NULL,
    "tag" TEXT NOT NULL,

    CONSTRAINT "ArticleTag_pkey" PRIMARY KEY ("articleId","tag")
);

-- CreateTable
CREATE TABLE "PublicArticleTag" (
    "tag" TEXT NOT NULL,
    "articleId" TEXT NOT NULL,
    "publishedAt" TIMESTAMPTZ(3) NOT NULL,
    "section" TEXT,

    CONSTRAINT "PublicArticleTag_pkey" PRIMARY KEY ("tag","articleId")
);

-- CreateTable
CREATE TABLE "PublicArticleAuthor" (
    "authorId" TEXT NOT NULL,
    "articleId" TEXT NOT NULL,
    "publishedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PublicArticleAuthor_pkey" PRIMARY KEY ("authorId","articleId")
);

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

-- CreateIndex
CREATE INDEX "PublicArticle_language_publishedAt_articleId_idx" ON "PublicArticle"("language", "publishedAt", "articleId");

-- CreateIndex
CREATE INDEX "PublicArticle_updatedAt_articleId_idx" ON "PublicArticle"("updatedAt", "articleId");

-- CreateIndex
CREATE INDEX "PublicArticle_createdAt_articleId_idx" ON "PublicArticle"("createdAt", "articleId");

-- CreateIndex
CREATE INDEX "PublicArticle_headline_articleId_idx" ON "PublicArticle"("headline", "articleId");

-- AddForeignKey
ALTER TABLE "ArticleTag" ADD CONSTRAINT "ArticleTag_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PublicArticleTag" ADD CONSTRAINT "PublicArticleTag_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "PublicArticle"("articleId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PublicArticleAuthor" ADD CONSTRAINT "PublicArticleAuthor_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "PublicArticle"("articleId") ON DELETE CASCADE ON UPDATE CASCADE;


-- Existing databases: the tag and byline rows of what is there. From here on
-- they are written with the articles (article-tags.ts) and their stored public
-- forms (public-articles.ts), and `npm run public:rebuild -- --verify` checks them.
INSERT INTO "ArticleTag" ("articleId", "tag")
SELECT DISTINCT a."id", t."tag" FROM "Article" a
CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN jsonb_typeof(a."tags") = 'array' THEN a."tags" ELSE '[]'::jsonb END) AS t("tag");

INSERT INTO "PublicArticleTag" ("tag", "articleId", "publishedAt", "section")
SELECT DISTINCT t."tag", p."articleId", p."publishedAt", p."section"
FROM "PublicArticle" p JOIN "Article" a ON a."id" = p."articleId"
CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN jsonb_typeof(a."tags") = 'array' THEN a."tags" ELSE '[]'::jsonb END) AS t("tag");

INSERT INTO "PublicArticleAuthor" ("authorId", "articleId", "publishedAt")
SELECT DISTINCT b."authorId", p."articleId", p."publishedAt" FROM "PublicArticle" p JOIN "Byline" b ON b."articleId" = p."articleId";
