-- AlterTable (written by hand: Prisma's differ copies the whole table to add a column; SQLite adds one in place)
ALTER TABLE "PublicArticle" ADD COLUMN "surrogateKeys" TEXT NOT NULL DEFAULT '';
