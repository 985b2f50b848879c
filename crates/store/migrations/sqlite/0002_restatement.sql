-- Exchange format v1, columns added for the 2025 reorganisation (issue 6):
-- restatement rules of indicators and checklist requirements, and the principal
-- successor of a split.

ALTER TABLE lineage ADD COLUMN "principal" INTEGER;
ALTER TABLE indicators ADD COLUMN "restatement" TEXT;
ALTER TABLE checklist_requirements ADD COLUMN "restatement" TEXT;
