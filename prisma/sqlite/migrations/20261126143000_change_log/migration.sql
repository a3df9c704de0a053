-- CreateTable
CREATE TABLE "Change" (
    "position" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resource" TEXT NOT NULL,
    "resourceId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "articleIds" JSONB NOT NULL,
    "apiKeyId" TEXT,
    "apiKeyName" TEXT,
    "role" TEXT,
    "requestId" TEXT,
    "method" TEXT,
    "path" TEXT
);

-- CreateIndex
CREATE INDEX "Change_resource_resourceId_idx" ON "Change"("resource", "resourceId");

-- CreateIndex
CREATE INDEX "Change_apiKeyId_idx" ON "Change"("apiKeyId");


-- The audit trail so far becomes the start of the change log, oldest first.
INSERT INTO "Change" ("createdAt", "resource", "resourceId", "action", "articleIds", "apiKeyId", "apiKeyName", "role", "requestId", "method", "path")
SELECT "createdAt", "resource", COALESCE("resourceId", ''), "action", '[]', "apiKeyId", "apiKeyName", "role", "requestId", "method", "path"
FROM "AuditEvent" ORDER BY "createdAt", "id";

-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "AuditEvent";
PRAGMA foreign_keys=on;
