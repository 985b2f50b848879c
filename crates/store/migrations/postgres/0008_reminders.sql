-- tiendo schema, version 8, on PostgreSQL: the same tables as
-- migrations/sqlite/0008_reminders.sql (agency e-mail addresses and the reminders journal).

CREATE TABLE agency_contacts (
    "agency_id" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "emails" TEXT,
    "name" TEXT,
    "updated_at" TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY ("agency_id")
);

CREATE TABLE reminders (
    "agency_id" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "item" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "kind" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "day" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "message_id" TEXT,
    "recipients" TEXT,
    "subject" TEXT,
    "body" TEXT,
    "status" TEXT,
    "attempts" BIGINT,
    "last_error" TEXT,
    "sent_at" TEXT,
    "updated_at" TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY ("agency_id", "item", "kind", "day")
);
