/**
 * Event-sourced balances (review section 4): `account_balance_events` is appended
 * with every posting *instead of* the trigger that updates account_balances rows in
 * place ("replace trigger-based balance updates"), then rolled up by
 * `mv_account_balances_optimized` and read by `get_account_balance_fast()`.
 *
 * Corrections and decisions:
 * - gen_random_uuid() is core since PostgreSQL 13: no pgcrypto (trap 13).
 * - With a partitioned journal_entries the foreign key must be
 *   (journal_entry_id, journal_entry_date) -> journal_entries (id, date) (trap 4), so
 *   events always carry the entry date.
 * - The review gives the MV no unique index; REFRESH ... CONCURRENTLY needs one on
 *   plain columns (trap 8): `idx_mv_balances_optimized_account (account_id)`.
 * - account_balances stops being maintained; it is replaced by a plain view over the
 *   events so every "before" query keeps working and stays correct (it is then a
 *   live aggregate, not a row lookup).
 */
import { isPartitioned } from '../../src/variant-build/catalog.js';
import type { VariantStep } from '../../src/variant-build/types.js';
import { refreshLogSteps } from './refresh-log.js';
import { entryStatusTriggerSql, lineTriggerSql } from '../../seed/ledger-triggers.js';

function eventsTableSql(partitioned: boolean): string {
  const fk = partitioned
    ? `FOREIGN KEY (journal_entry_id, journal_entry_date) REFERENCES journal_entries (id, date)`
    : `FOREIGN KEY (journal_entry_id) REFERENCES journal_entries (id)`;
  return `
CREATE TABLE account_balance_events (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id          integer NOT NULL,
    event_type          varchar(20) NOT NULL CHECK (event_type IN ('DEBIT', 'CREDIT')),
    amount              numeric(19,4) NOT NULL,
    journal_entry_id    uuid NOT NULL,
    journal_entry_date  date NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- Backfill from the posted lines, stamped with the posting time.
INSERT INTO account_balance_events (account_id, event_type, amount, journal_entry_id, journal_entry_date, created_at)
SELECT l.account_id, l.line_type, l.amount, e.id, e.date, coalesce(e.posted_at, e.created_at)
  FROM journal_entry_lines l
  JOIN journal_entries e ON e.id = l.journal_entry_id${partitioned ? ' AND e.date = l.journal_entry_date' : ''} AND e.status = 'Posted';

-- Foreign keys after the backfill: one validating join instead of a check per row.
ALTER TABLE account_balance_events
    ADD CONSTRAINT account_balance_events_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id),
    ADD CONSTRAINT account_balance_events_entry_fk ${fk};

CREATE INDEX idx_account_balance_events_account ON account_balance_events (account_id);
CREATE INDEX idx_account_balance_events_entry ON account_balance_events (journal_entry_id);`;
}

/**
 * Triggers that append events where the baseline updated account_balances: posting
 * appends the entry's lines, un-posting (Posted -> Void) appends reversing events, a
 * line added to (or deleted from) a posted entry appends itself (or its reversal).
 */
function eventTriggersSql(partitioned: boolean): string {
  const dateMatch = partitioned ? ' AND e.date = line.journal_entry_date' : '';
  return `
DROP TRIGGER trg_journal_entries_balance ON journal_entries;
DROP TRIGGER trg_journal_entry_lines_balance ON journal_entry_lines;
DROP FUNCTION ledger_entry_balance_trigger();
DROP FUNCTION ledger_line_balance_trigger();
DROP FUNCTION ledger_apply_lines(uuid, integer);

CREATE FUNCTION ledger_append_entry_events(entry uuid, entry_date date, direction integer) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO account_balance_events (account_id, event_type, amount, journal_entry_id, journal_entry_date)
    SELECT account_id,
           CASE WHEN (line_type = 'DEBIT') = (direction = 1) THEN 'DEBIT' ELSE 'CREDIT' END,
           amount, entry, entry_date
      FROM journal_entry_lines
     WHERE journal_entry_id = entry;
$$;

${entryStatusTriggerSql('ledger_entry_events_trigger', (d) => `ledger_append_entry_events(NEW.id, NEW.date, ${d})`)}

CREATE TRIGGER trg_journal_entries_balance_events
    AFTER INSERT OR UPDATE OF status ON journal_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_events_trigger();

${lineTriggerSql(
  'CREATE FUNCTION ledger_line_events_trigger()',
  `    SELECT e.date INTO entry_date FROM journal_entries e
     WHERE e.id = line.journal_entry_id${dateMatch} AND e.status = 'Posted';
    IF FOUND THEN
        INSERT INTO account_balance_events (account_id, event_type, amount, journal_entry_id, journal_entry_date)
        VALUES (line.account_id,
                CASE WHEN (line.line_type = 'DEBIT') = (direction = 1) THEN 'DEBIT' ELSE 'CREDIT' END,
                line.amount, line.journal_entry_id, entry_date);
    END IF;`,
  '\n    entry_date date;',
)}

CREATE TRIGGER trg_journal_entry_lines_balance_events
    AFTER INSERT OR DELETE ON journal_entry_lines
    FOR EACH ROW EXECUTE FUNCTION ledger_line_events_trigger();

-- account_balances is no longer maintained: keep its name as a live view over the events.
DROP TABLE account_balances;
CREATE VIEW account_balances AS
SELECT account_id,
       SUM(CASE WHEN event_type = 'DEBIT' THEN amount ELSE -amount END)::numeric(19,4) AS current_balance,
       MAX(created_at) AS updated_at
  FROM account_balance_events
 GROUP BY account_id;`;
}

/** The review's MV and function, verbatim apart from the unique index it needs. */
export const MV_OPTIMIZED_SQL = `
CREATE MATERIALIZED VIEW mv_account_balances_optimized AS
SELECT
    abe.account_id,
    SUM(CASE WHEN abe.event_type = 'DEBIT' THEN abe.amount ELSE -abe.amount END) as current_balance,
    COUNT(*) as transaction_count,
    MAX(abe.created_at) as last_update
FROM account_balance_events abe
GROUP BY abe.account_id;

CREATE UNIQUE INDEX idx_mv_balances_optimized_account ON mv_account_balances_optimized (account_id);

CREATE OR REPLACE FUNCTION get_account_balance_fast(account_id_param INTEGER)
RETURNS DECIMAL(19,4) AS $$
DECLARE
    balance DECIMAL(19,4);
BEGIN
    SELECT current_balance INTO balance
    FROM mv_account_balances_optimized
    WHERE account_id = account_id_param;

    RETURN COALESCE(balance, 0);
END;
$$ LANGUAGE plpgsql`;

/** Steps: events table + backfill, event triggers, MV, function, refresh log. */
export const eventSourcedSteps: readonly VariantStep[] = [
  {
    kind: 'dynamic',
    name: 'account_balance_events',
    async expand(client) {
      const partitioned = await isPartitioned(client, 'journal_entries');
      return [
        { kind: 'sql', name: 'table account_balance_events + backfill', sql: eventsTableSql(partitioned) },
        { kind: 'sql', name: 'event triggers replace balance triggers', sql: eventTriggersSql(partitioned) },
      ];
    },
  },
  { kind: 'sql', name: 'materialized view mv_account_balances_optimized + get_account_balance_fast', sql: MV_OPTIMIZED_SQL },
  ...refreshLogSteps,
];
