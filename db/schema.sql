-- husly database schema, version 1.
--
-- This file is the one source of the schema: the build turns it into a byte array in the binary
-- and src/db.c applies it, in one transaction, to a database whose user_version is 0. Later
-- changes are numbered migrations (src/db_migrate.c), each bumping PRAGMA user_version.
--
-- Two kinds of table:
--  * shared records (resident, stay, answer, checklist_step, furniture, note, history,
--    conflict): what terminals exchange by sync and what `husly dump` prints. Their ids are
--    random (60 bits, Crockford base32) or derived from a parent id, never an autoincrement, so
--    they stay unique when terminals merge. Each carries who created and last changed it, when.
--  * terminal-local state (local, peer, sync_log, draft, audit): never dumped, never synced.
--
-- Times are UTC, ISO 8601 with seconds and a Z ("2026-11-23T02:14:00Z"); dates are YYYY-MM-DD;
-- arrival and departure are local wall-clock times "YYYY-MM-DD HH:MM" as staff typed them.
-- Coded answers (causes, income, municipalities...) store a stable code, never the label, so a
-- label that is renamed or hidden later keeps old values readable.

CREATE TABLE resident (
  id               TEXT PRIMARY KEY NOT NULL,
  name             TEXT NOT NULL,
  name_key         TEXT NOT NULL,          -- name folded for search (lower case, æ->a, oe->o...)
  birth_date       TEXT,                   -- YYYY-MM-DD
  cpr              TEXT,                   -- 10 digits, or NULL: not everyone has one
  gender           TEXT CHECK (gender IN ('male', 'female', 'other', 'unknown')),
  home_kommune     TEXT,                   -- municipality code (101...) or none/greenland/...
  income           TEXT,                   -- income type code
  debt_rki         INTEGER CHECK (debt_rki IN (0, 1)),
  debt_total       INTEGER CHECK (debt_total >= 0),  -- kroner, rough
  debt_counselling INTEGER CHECK (debt_counselling IN (0, 1)),
  causes_other     TEXT,                   -- free-text cause beside the coded ones
  mental_health    TEXT,
  physical_health  TEXT,
  prison_history   TEXT,
  hospital_history TEXT,
  network          TEXT,
  work             TEXT,
  consent          TEXT CHECK (consent IN ('yes', 'limited', 'no')),
  consent_date     TEXT,
  alert_safety     TEXT,                   -- safety risk, in words
  ban_until        TEXT,                   -- house ban (karantæne) until this date
  alert_medical    TEXT,
  alert_contact    TEXT,                   -- who to call
  erased_at        TEXT,                   -- set when the record is erased (GDPR)
  erased_by        TEXT,
  created_at       TEXT NOT NULL,
  created_by       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  updated_by       TEXT NOT NULL
) STRICT;
CREATE INDEX resident_name_key ON resident (name_key, id, birth_date, cpr, erased_at);
                                                 -- the list's search reads this, not the table
CREATE INDEX resident_cpr ON resident (cpr);              -- the same person's other records

CREATE TABLE stay (
  id                 TEXT PRIMARY KEY NOT NULL,
  resident_id        TEXT NOT NULL REFERENCES resident (id),
  arrival            TEXT NOT NULL,         -- "YYYY-MM-DD HH:MM", local time
  departure          TEXT,                  -- NULL while the resident is present
  room               TEXT,
  acting_kommune     TEXT,                  -- handlekommune
  paying_kommune     TEXT,                  -- betalingskommune
  previous_living    TEXT,                  -- living situation code before arrival
  notified_at        TEXT,                  -- acting municipality notified (§ 110 stk. 6)
  notified_how       TEXT,
  assessed_at        TEXT,                  -- udredt
  plan_at            TEXT,                  -- handleplan made
  ready_at           TEXT,                  -- parat til egen bolig
  move_in_date       TEXT,
  support_method     TEXT CHECK (support_method IN ('cti', 'icm', 'act', 'sel85', 'other')),
  support_granted_at TEXT,
  support_start      TEXT,
  destination        TEXT,                  -- move-out destination code
  departure_note     TEXT,
  created_at         TEXT NOT NULL,
  created_by         TEXT NOT NULL,
  updated_at         TEXT NOT NULL,
  updated_by         TEXT NOT NULL,
  CHECK (departure IS NULL OR departure >= arrival)
) STRICT;
CREATE INDEX stay_resident ON stay (resident_id, arrival, id); -- the latest stay: no sort
CREATE INDEX stay_present ON stay (resident_id) WHERE departure IS NULL;
CREATE INDEX stay_room ON stay (lower(room));     -- the list's search by room

-- Multiple-choice intake answers. id = resident_id || '/' || list || '/' || code, so two
-- terminals ticking the same answer make the same record.
CREATE TABLE answer (
  id          TEXT PRIMARY KEY NOT NULL,
  resident_id TEXT NOT NULL REFERENCES resident (id),
  list        TEXT NOT NULL CHECK (list IN ('cause', 'misuse', 'debt')),
  code        TEXT NOT NULL,
  value       TEXT NOT NULL CHECK (value IN ('yes', 'no', 'current', 'earlier', 'unknown')),
  treatment   INTEGER NOT NULL DEFAULT 0 CHECK (treatment IN (0, 1)),
  note        TEXT,
  created_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  updated_by  TEXT NOT NULL,
  UNIQUE (resident_id, list, code)
) STRICT;

-- The move-out checklist: one row per stay and step. id = stay_id || '/' || step.
CREATE TABLE checklist_step (
  id               TEXT PRIMARY KEY NOT NULL,
  stay_id          TEXT NOT NULL REFERENCES stay (id),
  item             TEXT NOT NULL CHECK (item IN ('income', 'housing', 'furniture', 'support')),
  step             TEXT NOT NULL,           -- step code; its label is the program's
  status           TEXT NOT NULL DEFAULT 'todo' CHECK (status IN ('todo', 'doing', 'done', 'na')),
  date             TEXT,
  responsible      TEXT CHECK (responsible IN ('shelter', 'municipality', 'resident', 'other')),
  responsible_name TEXT,
  note             TEXT,
  created_at       TEXT NOT NULL,
  created_by       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  updated_by       TEXT NOT NULL,
  UNIQUE (stay_id, step)
) STRICT;

-- Furniture the household needs (etableringshjælp). id = stay_id || '/' || thing.
CREATE TABLE furniture (
  id         TEXT PRIMARY KEY NOT NULL,
  stay_id    TEXT NOT NULL REFERENCES stay (id),
  thing      TEXT NOT NULL,
  state      TEXT NOT NULL CHECK (state IN ('needed', 'have', 'applied', 'granted')),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  UNIQUE (stay_id, thing)
) STRICT;

-- Notes on a resident, and the shift log (vagtlog: kind 'shift', resident_id may be NULL).
CREATE TABLE note (
  id          TEXT PRIMARY KEY NOT NULL,
  resident_id TEXT REFERENCES resident (id),
  kind        TEXT NOT NULL CHECK (kind IN ('note', 'shift')),
  body        TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  updated_by  TEXT NOT NULL,
  CHECK (kind = 'shift' OR resident_id IS NOT NULL)
) STRICT;
CREATE INDEX note_resident ON note (resident_id, created_at);
CREATE INDEX note_created ON note (created_at);

-- Every change of every field of a shared record, in one place: the field history staff see,
-- and what sync carries. hlc is a hybrid logical clock ("<ms since 1970, 12 hex>-<counter, 4
-- hex>"); with the origin terminal it orders changes the same way on every terminal, and the
-- field's value is the one of its latest change. The rowid is this database's own arrival order,
-- which sync uses to find what a peer has not yet been sent; it is never dumped.
CREATE TABLE history (
  seq       INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: an erasure deletes the newest
                                            -- rows, and a delta export must still find what
                                            -- comes after them
  hlc       TEXT NOT NULL,
  terminal  TEXT NOT NULL,                  -- the terminal id where the change was made
  tbl       TEXT NOT NULL,
  row_id    TEXT NOT NULL,
  field     TEXT NOT NULL,
  old_value ANY,
  new_value ANY,
  login     TEXT NOT NULL,
  at        TEXT NOT NULL,
  base      TEXT,                           -- the change this one replaced where it was made
                                            -- (hlc || '/' || terminal), NULL for the first:
                                            -- a change not in the winner's line of bases was
                                            -- lost without being seen, a conflict (sync.c)
  UNIQUE (hlc, terminal)
) STRICT;
CREATE INDEX history_field ON history (tbl, row_id, field, hlc, terminal);

-- A value that lost a merge: two terminals changed the same field. Kept for a coordinator to
-- review and, if they choose, restore. id = the losing change's hlc || '/' || terminal.
CREATE TABLE conflict (
  id           TEXT PRIMARY KEY NOT NULL,
  tbl          TEXT NOT NULL,
  row_id       TEXT NOT NULL,
  field        TEXT NOT NULL,
  value        ANY,
  login        TEXT NOT NULL,
  at           TEXT NOT NULL,
  winner       TEXT NOT NULL,              -- the winning change, hlc || '/' || terminal
  resolved_at  TEXT,
  resolved_by  TEXT
) STRICT;
CREATE INDEX conflict_row ON conflict (tbl, row_id);

-- The records an erasure took away, by id only: a change to one of them that arrives later (a
-- bundle made before the erasure reached its terminal) is dropped, so nothing comes back.
-- Local: each terminal knows the ids it erased. Never dumped or synced.
CREATE TABLE tombstone (
  tbl     TEXT NOT NULL,
  row_id  TEXT NOT NULL,
  erasure TEXT NOT NULL,                    -- the erasing change, hlc || '/' || terminal
  PRIMARY KEY (tbl, row_id)
) STRICT;

-- Records whose changes have arrived but that cannot be made yet: a required field or the
-- record they belong to is still on its way (a bundle lost and sent later). Every import tries
-- them again. Local; their changes are not dumped until they are made.
CREATE TABLE pending (
  tbl    TEXT NOT NULL,
  row_id TEXT NOT NULL,
  PRIMARY KEY (tbl, row_id)
) STRICT;

-- Terminal-local state. Never dumped or synced.
CREATE TABLE local (
  key   TEXT PRIMARY KEY NOT NULL,          -- terminal_id, hlc
  value TEXT NOT NULL
) STRICT;

CREATE TABLE peer (
  name          TEXT PRIMARY KEY NOT NULL,
  exported_seq  INTEGER NOT NULL DEFAULT 0, -- history.seq last sent to this peer
  last_export   TEXT,
  last_import   TEXT
) STRICT;

CREATE TABLE sync_log (
  seq       INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  login     TEXT NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('export', 'import')),
  peer      TEXT,
  changes   INTEGER NOT NULL,
  summary   TEXT
) STRICT;

-- Forms in progress (an intake typed but not saved), one per staff member and form, so that a
-- dropped connection loses nothing. A draft is never a resident until it is saved.
CREATE TABLE draft (
  login      TEXT NOT NULL,
  form       TEXT NOT NULL,
  data       TEXT NOT NULL,                 -- JSON object of the form's fields
  updated_at TEXT NOT NULL,
  PRIMARY KEY (login, form)
) STRICT;

-- Who opened, created, changed, printed, exported, imported or erased what. Append-only: the
-- triggers below refuse any change, so the program cannot alter it either. The detail names
-- tables and fields, never a value: after an erasure nothing of the person is left here but the
-- id. Each entry is chained to the one before by its hash, so an entry changed or removed outside
-- husly shows in `husly check` (src/db_audit.c says how it is computed).
CREATE TABLE audit (
  seq         INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  login       TEXT NOT NULL,
  terminal    TEXT NOT NULL,
  action      TEXT NOT NULL,
  resident_id TEXT,
  detail      TEXT,
  hash        TEXT                          -- BLAKE2b-256 of the previous entry's hash and this
                                            -- entry, hex; NULL in entries from before format 3
) STRICT;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
