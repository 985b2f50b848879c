-- tiendo schema, version 8: urging and e-mail reminders (see src/reminder.rs). The
-- e-mail addresses of each agency, and the journal of every reminder sent or tried.

CREATE TABLE agency_contacts (
    "agency_id" TEXT NOT NULL DEFAULT '',
    "emails" TEXT,
    "name" TEXT,
    "updated_at" TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY ("agency_id")
) STRICT;

CREATE TABLE reminders (
    "agency_id" TEXT NOT NULL DEFAULT '',
    "item" TEXT NOT NULL DEFAULT '',
    "kind" TEXT NOT NULL DEFAULT '',
    "day" TEXT NOT NULL DEFAULT '',
    "message_id" TEXT,
    "recipients" TEXT,
    "subject" TEXT,
    "body" TEXT,
    "status" TEXT,
    "attempts" INTEGER,
    "last_error" TEXT,
    "sent_at" TEXT,
    "updated_at" TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY ("agency_id", "item", "kind", "day")
) STRICT;
