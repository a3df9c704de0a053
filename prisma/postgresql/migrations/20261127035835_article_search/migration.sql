-- CreateTable
CREATE TABLE "ArticleSearch" (
    "id" SERIAL NOT NULL,
    "articleId" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "headline" TEXT NOT NULL,
    "dek" TEXT NOT NULL,
    "body" TEXT NOT NULL,

    CONSTRAINT "ArticleSearch_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ArticleSearch_articleId_key" ON "ArticleSearch"("articleId");

-- CreateIndex
CREATE INDEX "ArticleSearch_id_articleId_idx" ON "ArticleSearch"("id", "articleId");

-- AddForeignKey
ALTER TABLE "ArticleSearch" ADD CONSTRAINT "ArticleSearch_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- The full-text index over "ArticleSearch" (hand-written: Prisma cannot
-- model tsvector columns and their GIN indexes in provider-neutral models, so
-- the vectors live in a table of their own that prisma.config.ts names as an
-- external table). A trigger keeps it in step with every write to
-- "ArticleSearch"; a deleted article's rows go by cascade.

-- The text search configuration for an article's language (BCP 47: its
-- primary subtag): its stemmer and stop words. Anything else: simple.
CREATE FUNCTION "article_search_config"("language" TEXT) RETURNS regconfig
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT (CASE lower(split_part("language", '-', 1))
        WHEN 'da' THEN 'danish' WHEN 'de' THEN 'german' WHEN 'en' THEN 'english'
        WHEN 'es' THEN 'spanish' WHEN 'fi' THEN 'finnish' WHEN 'fr' THEN 'french'
        WHEN 'hu' THEN 'hungarian' WHEN 'it' THEN 'italian' WHEN 'nl' THEN 'dutch'
        WHEN 'nb' THEN 'norwegian' WHEN 'nn' THEN 'norwegian' WHEN 'no' THEN 'norwegian'
        WHEN 'pt' THEN 'portuguese' WHEN 'ro' THEN 'romanian' WHEN 'ru' THEN 'russian'
        WHEN 'sv' THEN 'swedish' WHEN 'tr' THEN 'turkish'
        ELSE 'simple' END)::regconfig
$$;

-- An article's text as one vector: headline weight A, dek B, body C (what
-- ts_rank weighs). A position is left empty between two fields (a lexeme put
-- there, then deleted: the parser never makes one with a space in it), so
-- that a phrase never matches across two fields, as in FTS5.
CREATE FUNCTION "article_search_document"("config" regconfig, "headline" TEXT, "dek" TEXT, "body" TEXT) RETURNS tsvector
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT ts_delete(
        setweight(to_tsvector("config", "headline"), 'A') || '''field gap'':1'::tsvector ||
        setweight(to_tsvector("config", "dek"), 'B') || '''field gap'':1'::tsvector ||
        setweight(to_tsvector("config", "body"), 'C'),
        'field gap')
$$;

-- Two vectors per article: "stemmed", in its language's configuration, what a
-- search with a `language` filter matches (its words normalized the same way:
-- "corriendo" finds "corrían"); "exact", the words as written (simple:
-- lowercased, no stemming, no stop words), what a search without one matches.
CREATE TABLE "ArticleSearchVector" (
    "id" INTEGER NOT NULL,
    "stemmed" tsvector NOT NULL,
    "exact" tsvector NOT NULL,

    CONSTRAINT "ArticleSearchVector_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "ArticleSearchVector_id_fkey" FOREIGN KEY ("id") REFERENCES "ArticleSearch"("id") ON DELETE CASCADE
);

CREATE INDEX "ArticleSearchVector_stemmed_idx" ON "ArticleSearchVector" USING GIN ("stemmed");
CREATE INDEX "ArticleSearchVector_exact_idx" ON "ArticleSearchVector" USING GIN ("exact");

-- (A language without a configuration of its own has the exact vector twice: made once.)
CREATE FUNCTION "article_search_vector_store"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    language_config regconfig := "article_search_config"(NEW."language");
    exact_vector tsvector := "article_search_document"('simple', NEW."headline", NEW."dek", NEW."body");
BEGIN
    INSERT INTO "ArticleSearchVector" ("id", "stemmed", "exact") VALUES (NEW."id",
        CASE WHEN language_config = 'simple'::regconfig THEN exact_vector ELSE "article_search_document"(language_config, NEW."headline", NEW."dek", NEW."body") END,
        exact_vector)
    ON CONFLICT ("id") DO UPDATE SET "stemmed" = EXCLUDED."stemmed", "exact" = EXCLUDED."exact";
    RETURN NULL;
END
$$;

CREATE TRIGGER "ArticleSearch_vector" AFTER INSERT OR UPDATE ON "ArticleSearch"
    FOR EACH ROW EXECUTE FUNCTION "article_search_vector_store"();
