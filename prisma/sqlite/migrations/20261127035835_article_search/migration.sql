-- CreateTable
CREATE TABLE "ArticleSearch" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "articleId" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "headline" TEXT NOT NULL,
    "dek" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    CONSTRAINT "ArticleSearch_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "ArticleSearch_articleId_key" ON "ArticleSearch"("articleId");

-- CreateIndex
CREATE INDEX "ArticleSearch_id_articleId_idx" ON "ArticleSearch"("id", "articleId");


-- The full-text index over "ArticleSearch" (hand-written: Prisma cannot model
-- an FTS5 table, so prisma.config.ts names it and its shadow tables as
-- external tables). External content: the text is stored once, in
-- "ArticleSearch", and these triggers keep the index in step with every write
-- to it, a delete cascading from a deleted article included. unicode61 without
-- diacritics: "cafe" finds "café"; no stemming (one tokenizer for every language).
CREATE VIRTUAL TABLE "ArticleSearchIndex" USING fts5(
    "headline", "dek", "body",
    content='ArticleSearch', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);

CREATE TRIGGER "ArticleSearch_insert" AFTER INSERT ON "ArticleSearch" BEGIN
    INSERT INTO "ArticleSearchIndex" (rowid, "headline", "dek", "body") VALUES (new."id", new."headline", new."dek", new."body");
END;

CREATE TRIGGER "ArticleSearch_delete" AFTER DELETE ON "ArticleSearch" BEGIN
    INSERT INTO "ArticleSearchIndex" ("ArticleSearchIndex", rowid, "headline", "dek", "body") VALUES ('delete', old."id", old."headline", old."dek", old."body");
END;

CREATE TRIGGER "ArticleSearch_update" AFTER UPDATE ON "ArticleSearch" BEGIN
    INSERT INTO "ArticleSearchIndex" ("ArticleSearchIndex", rowid, "headline", "dek", "body") VALUES ('delete', old."id", old."headline", old."dek", old."body");
    INSERT INTO "ArticleSearchIndex" (rowid, "headline", "dek", "body") VALUES (new."id", new."headline", new."dek", new."body");
END;
