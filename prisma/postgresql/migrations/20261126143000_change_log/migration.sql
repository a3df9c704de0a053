-- CreateTable
CREATE TABLE "Change" (
    "position" SERIAL NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resource" TEXT NOT NULL,
    "resourceId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "articleIds" JSONB NOT NULL,
    "apiKeyId" TEXT,
    "apiKeyName" TEXT,
    "role" TEXT,
    "requestId" TEXT,
    "method" TEXT,
    "path" TEXT,

    CONSTRAINT "Change_pkey" PRIMARY KEY ("position")
);

-- CreateIndex
CREATE INDEX "Change_resource_resourceId_idx" ON "Change"("resource", "resourceId");

-- CreateIndex
CREATE INDEX "Change_apiKeyId_idx" ON "Change"("apiKeyId");


-- The audit trail so far becomes the start of the change log, oldest first.
INSERT INTO "Change" ("createdAt", "resource", "resourceId", "action", "articleIds", "apiKeyId", "apiKeyName", "role", "requestId", "method", "path")
SELECT "createdAt", "resource", COALESCE("resourceId", ''), "action", '[]'::jsonb, "apiKeyId", "apiKeyName", "role", "requestId", "method", "path"
FROM "AuditEvent" ORDER BY "createdAt", "id";

-- DropTable
DROP TABLE "AuditEvent";
