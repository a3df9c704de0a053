-- AlterTable
ALTER TABLE "Author" ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "Image" ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "Article" ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;


-- Stored public forms are derived data: dropped here and rendered again, now
-- with the versions of the article and of the authors and images it shows,
-- when the server starts (storeMissingPublicArticles) or by `npm run public:rebuild`.
DELETE FROM "PublicArticle";
