/**
 * The ledger's trigger functions and triggers, from one template: the baseline's
 * (phase 3 of the seed, installed after the load so the seeder never fires a trigger
 * per row) and the variants' rewrites of them, which differ only where they must.
 *
 * - `partitioned`: row triggers on a partitioned table are cloned to each partition
 *   and see TG_TABLE_NAME = the *partition* name, so the functions that branch on the
 *   table name or log it take the logical table name as a trigger argument; lookups of
 *   an entry by id also match its date, since `WHERE id = $1` alone probes every
 *   partition.
 * - the event-sourced variant appends balance events where the baseline updates
 *   account_balances, with the same entry-status and line-direction logic
 *   ({@link entryStatusTriggerSql}, {@link lineTriggerSql}).
 */

/** How the journal tables are laid out. */
export interface TriggerLayout {
  /** journal_entries is partitioned by date and lines carry journal_entry_date. */
  partitioned?: boolean;
}

/** `CREATE` for the baseline, `CREATE OR REPLACE` where a variant rewrites an installed function. */
function create(o: TriggerLayout): string {
  return o.partitioned ? 'CREATE OR REPLACE' : 'CREATE';
}

/** The table the trigger fired for: its logical name when partitions carry it as an argument. */
function tableName(o: TriggerLayout): string {
  return o.partitioned ? 'coalesce(TG_ARGV[0], TG_TABLE_NAME)' : 'TG_TABLE_NAME';
}

/** Trigger argument naming the logical table (partitioned layout only). */
function tableArg(o: TriggerLayout, table: string): string {
  return o.partitioned ? `'${table}'` : '';
}

/** ` AND <col> = <date>` in the partitioned layout (an id lookup that can prune partitions). */
function dateMatch(o: TriggerLayout, column: string, value: string): string {
  return o.partitioned ? ` AND ${column} = ${value}` : '';
}

/**
 * A trigger function on journal_entries that acts when an entry becomes Posted
 * (direction 1) or stops being Posted (direction -1). `perform(direction)` is the
 * call it makes, e.g. `ledger_apply_lines(NEW.id, 1)`.
 */
export function entryStatusTriggerSql(name: string, perform: (direction: '1' | '-1') => string): string {
  return `CREATE FUNCTION ${name}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.status = 'Posted' THEN
            PERFORM ${perform('1')};
        END IF;
    ELSIF OLD.status IS DISTINCT FROM NEW.status THEN
        IF NEW.status = 'Posted' THEN
            PERFORM ${perform('1')};
        ELSIF OLD.status = 'Posted' THEN
            PERFORM ${perform('-1')};
        END IF;
    END IF;
    RETURN NULL;
END $$;`;
}

/**
 * A trigger function on journal_entry_lines: `line` is the row written (NEW) or
 * deleted (OLD), `direction` 1 or -1; `body` acts on them.
 */
export function lineTriggerSql(head: string, body: string, declare = ''): string {
  return `${head} RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    line journal_entry_lines;
    direction integer;${declare}
BEGIN
    IF TG_OP = 'DELETE' THEN
        line := OLD; direction := -1;
    ELSE
        line := NEW; direction := 1;
    END IF;
${body}
    RETURN NULL;
END $$;`;
}

/** The balanced-entry check (a deferred constraint trigger on both journal tables). */
function balancedCheckSql(o: TriggerLayout): string {
  const entryDate = (v: string) => (o.partitioned ? ` entry_date := ${v};` : '');
  return `${create(o)} FUNCTION ledger_check_entry_balanced() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    entry uuid;${o.partitioned ? '\n    entry_date date;' : ''}
    entry_status text;
    debits numeric;
    credits numeric;
    line_count integer;
BEGIN
    IF ${tableName(o)} = 'journal_entries' THEN
        entry := NEW.id;${entryDate('NEW.date')}
    ELSIF TG_OP = 'DELETE' THEN
        entry := OLD.journal_entry_id;${entryDate('OLD.journal_entry_date')}
    ELSE
        entry := NEW.journal_entry_id;${entryDate('NEW.journal_entry_date')}
    END IF;
    SELECT status INTO entry_status FROM journal_entries WHERE id = entry${dateMatch(o, 'date', 'entry_date')};
    IF entry_status IS DISTINCT FROM 'Posted' THEN
        RETURN NULL;
    END IF;
    SELECT coalesce(sum(amount) FILTER (WHERE line_type = 'DEBIT'), 0),
           coalesce(sum(amount) FILTER (WHERE line_type = 'CREDIT'), 0),
           count(*)
      INTO debits, credits, line_count
      FROM journal_entry_lines WHERE journal_entry_id = entry;
    IF line_count < 2 OR debits <> credits THEN
        RAISE EXCEPTION 'journal entry % is posted but unbalanced: debits %, credits %, % lines',
            entry, debits, credits, line_count
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;`;
}

/**
 * The ledger's trigger functions and triggers. With `{}` it is the baseline's phase 3
 * exactly (test/seed-database.test.ts pins it); with `{ partitioned: true }` it
 * replaces the functions and recreates the triggers on the partitioned tables.
 */
export function ledgerTriggersSql(o: TriggerLayout = {}): string {
  const c = create(o);
  return `-- Phase 3 of 3: the baseline's behaviour, installed after the load so the seeder
-- never fires a trigger per row (account_balances is computed from the loaded lines).
--
-- Sign convention (the review's): balance = sum(DEBIT amounts) - sum(CREDIT amounts).

-- 1. A posted entry must balance. Deferred to commit time so an entry and its lines
--    can be written in one transaction in any order.
${balancedCheckSql(o)}

CREATE CONSTRAINT TRIGGER trg_journal_entries_balanced
    AFTER INSERT OR UPDATE OF status ON journal_entries
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_check_entry_balanced(${tableArg(o, 'journal_entries')});

CREATE CONSTRAINT TRIGGER trg_journal_entry_lines_balanced
    AFTER INSERT OR UPDATE OR DELETE ON journal_entry_lines
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_check_entry_balanced(${tableArg(o, 'journal_entry_lines')});

-- 2. account_balances kept by triggers when entries are posted (the review's
--    "trigger-based balance updates"). Posting applies the entry's lines; un-posting
--    (Posted -> Void) reverses them; a line written to an already-posted entry
--    applies itself.
${c} FUNCTION ledger_apply_lines(entry uuid, direction integer) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO account_balances AS ab (account_id, current_balance, updated_at)
    SELECT account_id,
           direction * sum(CASE WHEN line_type = 'DEBIT' THEN amount ELSE -amount END),
           now()
      FROM journal_entry_lines
     WHERE journal_entry_id = entry
     GROUP BY account_id
    ON CONFLICT (account_id) DO UPDATE
       SET current_balance = ab.current_balance + EXCLUDED.current_balance,
           updated_at = EXCLUDED.updated_at;
$$;

${entryStatusTriggerSql('ledger_entry_balance_trigger', (d) => `ledger_apply_lines(NEW.id, ${d})`).replace(/^CREATE/, c)}

CREATE TRIGGER trg_journal_entries_balance
    AFTER INSERT OR UPDATE OF status ON journal_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_balance_trigger();

${lineTriggerSql(
  `${c} FUNCTION ledger_line_balance_trigger()`,
  `    IF EXISTS (SELECT 1 FROM journal_entries WHERE id = line.journal_entry_id${dateMatch(o, 'date', 'line.journal_entry_date')} AND status = 'Posted') THEN
        INSERT INTO account_balances AS ab (account_id, current_balance, updated_at)
        VALUES (line.account_id,
                direction * CASE WHEN line.line_type = 'DEBIT' THEN line.amount ELSE -line.amount END,
                now())
        ON CONFLICT (account_id) DO UPDATE
           SET current_balance = ab.current_balance + EXCLUDED.current_balance,
               updated_at = EXCLUDED.updated_at;
    END IF;`,
)}

CREATE TRIGGER trg_journal_entry_lines_balance
    AFTER INSERT OR DELETE ON journal_entry_lines
    FOR EACH ROW EXECUTE FUNCTION ledger_line_balance_trigger();

-- Lines of a posted entry are immutable: an UPDATE would need a reversal, which is
-- what voiding and re-posting is for.
${c} FUNCTION ledger_forbid_posted_line_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM journal_entries WHERE id = OLD.journal_entry_id${dateMatch(o, 'date', 'OLD.journal_entry_date')} AND status = 'Posted') THEN
        RAISE EXCEPTION 'lines of posted journal entry % cannot be updated; void it and post a correction',
            OLD.journal_entry_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER trg_journal_entry_lines_immutable
    BEFORE UPDATE ON journal_entry_lines
    FOR EACH ROW EXECUTE FUNCTION ledger_forbid_posted_line_update();

-- 3. Audit trail on journal_entries and anchor_authorizations.${o.partitioned ? '\n-- Audit rows name the logical table, not the partition the row landed in.' : ''}
${c} FUNCTION ledger_audit_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit_log (table_name, record_id, action, old_data, new_data, changed_at)
    VALUES (${tableName(o)},
            CASE WHEN TG_OP = 'DELETE' THEN OLD.id::text ELSE NEW.id::text END,
            TG_OP,
            CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE to_jsonb(OLD) END,
            CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE to_jsonb(NEW) END,
            now());
    RETURN NULL;
END $$;

CREATE TRIGGER trg_journal_entries_audit
    AFTER INSERT OR UPDATE OR DELETE ON journal_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_audit_trigger(${tableArg(o, 'journal_entries')});

CREATE TRIGGER trg_anchor_authorizations_audit
    AFTER INSERT OR UPDATE OR DELETE ON anchor_authorizations
    FOR EACH ROW EXECUTE FUNCTION ledger_audit_trigger(${tableArg(o, 'anchor_authorizations')});
`;
}
