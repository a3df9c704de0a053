-- AlterTable
ALTER TABLE "PublicArticle" ADD COLUMN     "surrogateKeys" TEXT NOT NULL DEFAULT '';

