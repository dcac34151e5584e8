/**
 * Partitioning (review section 2), done in a way PostgreSQL accepts:
 *
 * - trap 5: a plain table cannot become partitioned in place. journal_entries,
 *   journal_entry_lines and anchor_authorizations are rebuilt: rename the old table,
 *   create the new one, copy, drop the old one, in ONE transaction (an offline swap:
 *   it holds ACCESS EXCLUSIVE on the three tables until commit).
 * - trap 3: keys on a partitioned table include the partition key: journal_entries
 *   PRIMARY KEY (id, date) and UNIQUE (entry_number, date) (entry_number is then only
 *   unique through its sequence); anchor_authorizations PRIMARY KEY (id, status).
 * - trap 4: foreign keys to journal_entries reference (id, date): lines (and anchors)
 *   carry journal_entry_date.
 * - trap 5/6: a DEFAULT partition catches rows beyond every range; monthly partitions
 *   are created 3 months ahead of the newest data by the corrected
 *   create_monthly_partition.
 * - trap 7: secondary indexes are built after the swap with ON ONLY + concurrent
 *   per-partition builds + ATTACH (partitionAwareIndex).
 * - trap 11: anchor status changes become cross-partition moves (DELETE + INSERT).
 *
 * Triggers are recreated on the new tables from the baseline's template in its
 * partitioned layout (seed/ledger-triggers.ts): row triggers on a partitioned table
 * are cloned to each partition and see TG_TABLE_NAME = the *partition* name, so the
 * functions get the logical table name as a trigger argument; lookups of an entry by
 * id also match its date, since `WHERE id = $1` alone probes every partition.
 */
import { partitionAwareIndex } from '../../src/variant-build/partition-aware-index.js';
import type { VariantStep } from '../../src/variant-build/types.js';
import { PARTITION_FUNCTIONS_SQL } from './partition-functions.js';
import { ledgerTriggersSql } from '../../seed/ledger-triggers.js';
import { baselineTable, deriveCreateTable } from '../../seed/table-ddl.js';

/** Months of partitions created beyond the newest entry date. */
export const MONTHS_AHEAD = 3;

/** Sequence of the new journal_entries.entry_number (renamed to the baseline's name after the swap). */
const ENTRY_NUMBER_SEQ = 'journal_entries_entry_number_seq_new';

/**
 * The three rebuilt tables, derived from the baseline's DDL (seed/table-ddl.ts): the
 * baseline's columns in the baseline's order, plus what partitioning needs.
 */
export const PARTITIONED_TABLES_DDL = {
  // Identity columns on partitioned tables need PostgreSQL 17: a plain sequence instead.
  journal_entries: deriveCreateTable(baselineTable('journal_entries'), {
    replace: { entry_number: `    entry_number bigint       NOT NULL DEFAULT nextval('${ENTRY_NUMBER_SEQ}')` },
    suffix: ' PARTITION BY RANGE (date)',
  }),
  // Not partitioned: it carries the entry's date for the foreign key to (id, date) (trap 4).
  journal_entry_lines: deriveCreateTable(baselineTable('journal_entry_lines'), {
    after: { journal_entry_id: '    journal_entry_date  date          NOT NULL' },
  }),
  anchor_authorizations: deriveCreateTable(baselineTable('anchor_authorizations'), {
    after: { journal_entry_id: '    journal_entry_date  date' },
    constraints: ['    CONSTRAINT anchor_authorizations_entry_date_check CHECK ((journal_entry_id IS NULL) = (journal_entry_date IS NULL))'],
    suffix: ' PARTITION BY LIST (status)',
  }),
} as const;

const SWAP_SQL = `
ALTER TABLE journal_entries       RENAME TO journal_entries_unpartitioned;
ALTER TABLE journal_entry_lines   RENAME TO journal_entry_lines_unpartitioned;
ALTER TABLE anchor_authorizations RENAME TO anchor_authorizations_unpartitioned;

CREATE SEQUENCE ${ENTRY_NUMBER_SEQ};
${PARTITIONED_TABLES_DDL.journal_entries}
ALTER SEQUENCE ${ENTRY_NUMBER_SEQ} OWNED BY journal_entries.entry_number;
CREATE TABLE journal_entries_default PARTITION OF journal_entries DEFAULT;
SELECT count(*) FROM ensure_monthly_partitions(
    'public.journal_entries',
    (SELECT coalesce(min(date), current_date) FROM journal_entries_unpartitioned),
    ((SELECT coalesce(max(date), current_date) FROM journal_entries_unpartitioned) + ${MONTHS_AHEAD} * interval '1 month')::date);
INSERT INTO journal_entries (id, entry_number, date, source, status, description, created_at, posted_at)
SELECT id, entry_number, date, source, status, description, created_at, posted_at FROM journal_entries_unpartitioned;
SELECT setval('${ENTRY_NUMBER_SEQ}', coalesce((SELECT max(entry_number) FROM journal_entries), 1),
              (SELECT max(entry_number) FROM journal_entries) IS NOT NULL);

${PARTITIONED_TABLES_DDL.journal_entry_lines}
INSERT INTO journal_entry_lines (id, journal_entry_id, journal_entry_date, line_number, account_id, line_type, amount, memo)
SELECT l.id, l.journal_entry_id, e.date, l.line_number, l.account_id, l.line_type, l.amount, l.memo
  FROM journal_entry_lines_unpartitioned l JOIN journal_entries_unpartitioned e ON e.id = l.journal_entry_id;
SELECT setval(pg_get_serial_sequence('journal_entry_lines', 'id'), coalesce((SELECT max(id) FROM journal_entry_lines), 1),
              (SELECT max(id) FROM journal_entry_lines) IS NOT NULL);

${PARTITIONED_TABLES_DDL.anchor_authorizations}
-- No DEFAULT partition here on purpose: a status in no list is an error (trap 11).
CREATE TABLE anchor_authorizations_active    PARTITION OF anchor_authorizations FOR VALUES IN ('AUTHORIZED', 'PENDING');
CREATE TABLE anchor_authorizations_completed PARTITION OF anchor_authorizations FOR VALUES IN ('FULFILLED', 'EXPIRED', 'FAILED');
INSERT INTO anchor_authorizations (id, user_address, anchor_type, amount, status, expires_at, journal_entry_id, journal_entry_date, created_at, updated_at)
SELECT a.id, a.user_address, a.anchor_type, a.amount, a.status, a.expires_at, a.journal_entry_id, e.date, a.created_at, a.updated_at
  FROM anchor_authorizations_unpartitioned a LEFT JOIN journal_entries_unpartitioned e ON e.id = a.journal_entry_id;

DROP TABLE anchor_authorizations_unpartitioned, journal_entry_lines_unpartitioned, journal_entries_unpartitioned;
ALTER SEQUENCE ${ENTRY_NUMBER_SEQ} RENAME TO journal_entries_entry_number_seq;
-- The new identity sequence got a suffixed name while the old one existed; restore the baseline name.
DO $$
BEGIN
    IF pg_get_serial_sequence('journal_entry_lines', 'id') <> 'public.journal_entry_lines_id_seq' THEN
        EXECUTE format('ALTER SEQUENCE %s RENAME TO journal_entry_lines_id_seq', pg_get_serial_sequence('journal_entry_lines', 'id'));
    END IF;
END $$;

ALTER TABLE journal_entries ADD PRIMARY KEY (id, date);
ALTER TABLE journal_entries ADD CONSTRAINT journal_entries_entry_number_key UNIQUE (entry_number, date);
ALTER TABLE journal_entry_lines ADD PRIMARY KEY (id);
ALTER TABLE journal_entry_lines
    ADD CONSTRAINT journal_entry_lines_entry_fk FOREIGN KEY (journal_entry_id, journal_entry_date)
        REFERENCES journal_entries (id, date),
    ADD CONSTRAINT journal_entry_lines_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id),
    ADD CONSTRAINT journal_entry_lines_entry_line_key UNIQUE (journal_entry_id, line_number);
ALTER TABLE anchor_authorizations ADD PRIMARY KEY (id, status);
ALTER TABLE anchor_authorizations
    ADD CONSTRAINT anchor_authorizations_entry_fk FOREIGN KEY (journal_entry_id, journal_entry_date)
        REFERENCES journal_entries (id, date);
`;

/** Steps: partition functions, the swap (+ keys + triggers) in one transaction, then the secondary indexes. */
export const partitionedSteps: readonly VariantStep[] = [
  { kind: 'sql', name: 'functions create_monthly_partition, ensure_monthly_partitions', sql: PARTITION_FUNCTIONS_SQL },
  { kind: 'sql', name: 'swap in partitioned journal_entries, journal_entry_lines, anchor_authorizations', sql: SWAP_SQL + ledgerTriggersSql({ partitioned: true }) },
  // The baseline's secondary indexes, rebuilt on the new tables (trap 7 path where partitioned).
  partitionAwareIndex({ name: 'idx_journal_entry_lines_account', table: 'journal_entry_lines', definition: '(account_id)' }),
  partitionAwareIndex({ name: 'idx_anchor_authorizations_entry', table: 'anchor_authorizations', definition: '(journal_entry_id)' }),
  partitionAwareIndex({ name: 'idx_anchor_authorizations_user', table: 'anchor_authorizations', definition: '(user_address)' }),
];
