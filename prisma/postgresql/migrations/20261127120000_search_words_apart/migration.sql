-- Typographic punctuation and symbols separate words (hand-written: functions
-- and data only, nothing Prisma models).
--
-- PostgreSQL's text search parser sorts characters by the database's
-- LC_CTYPE, and under C (initdb's default without a locale, common in
-- containers) it counts every non-ASCII character as a letter: “fair”,
-- operator’s, late—very, 🚢arrivals were one word each, and a search for
-- "fair" or "operator" missed them. News copy is full of such characters.
-- They now become spaces before the parser sees the text, whatever the
-- locale: the punctuation and symbol blocks of Latin-1 and Unicode (quotation
-- marks, dashes, ellipsis, bullets, currency, arrows, dingbats, emoji,
-- CJK and fullwidth punctuation, variation selectors). Letters, digits and
-- combining marks are untouched, and so is ASCII, which the parser already
-- handles (e-mail, don't, 6.5). FTS5's unicode61 tokenizer already separates
-- all of them on SQLite. Highlights are made from the text as written.
CREATE FUNCTION "article_search_words"("text" TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT regexp_replace("text",
        '[\u00A0-\u00A9\u00AB-\u00B1\u00B4\u00B6-\u00B8\u00BB\u00BF\u00D7\u00F7\u2000-\u206F\u20A0-\u20CF\u2190-\u2BFF\u2E00-\u2E7F\u3000-\u3004\u3008-\u3011\u3014-\u301F\uFE00-\uFE0F\uFE30-\uFE4F\uFF01-\uFF0F\uFF1A-\uFF20\uFF3B-\uFF40\uFF5B-\uFF65\U0001F000-\U0001FAFF]',
        ' ', 'g')
$$;

CREATE OR REPLACE FUNCTION "article_search_document"("config" regconfig, "headline" TEXT, "dek" TEXT, "body" TEXT) RETURNS tsvector
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT ts_delete(
        setweight(to_tsvector("config", "article_search_words"("headline")), 'A') || '''field gap'':1'::tsvector ||
        setweight(to_tsvector("config", "article_search_words"("dek")), 'B') || '''field gap'':1'::tsvector ||
        setweight(to_tsvector("config", "article_search_words"("body")), 'C'),
        'field gap')
$$;

-- Every stored vector again (the trigger makes them as article_search_vector_store does).
UPDATE "ArticleSearchVector" v SET
    "exact" = "article_search_document"('simple', s."headline", s."dek", s."body"),
    "stemmed" = "article_search_document"("article_search_config"(s."language"), s."headline", s."dek", s."body")
FROM "ArticleSearch" s
WHERE s."id" = v."id";
