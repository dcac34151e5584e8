-- Phase 3 of 3: the baseline's behaviour, installed after the load so the seeder
-- never fires a trigger per row (account_balances is computed from the loaded lines).
--
-- Sign convention (the review's): balance = sum(DEBIT amounts) - sum(CREDIT amounts).

-- 1. A posted entry must balance. Deferred to commit time so an entry and its lines
--    can be written in one transaction in any order.
CREATE FUNCTION ledger_check_entry_balanced() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    entry uuid;
    entry_status text;
    debits numeric;
    credits numeric;
    line_count integer;
BEGIN
    IF TG_TABLE_NAME = 'journal_entries' THEN
        entry := NEW.id;
    ELSIF TG_OP = 'DELETE' THEN
        entry := OLD.journal_entry_id;
    ELSE
        entry := NEW.journal_entry_id;
    END IF;
    SELECT status INTO entry_status FROM journal_entries WHERE id = entry;
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
END $$;

CREATE CONSTRAINT TRIGGER trg_journal_entries_balanced
    AFTER INSERT OR UPDATE OF status ON journal_entries
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_check_entry_balanced();

CREATE CONSTRAINT TRIGGER trg_journal_entry_lines_balanced
    AFTER INSERT OR UPDATE OR DELETE ON journal_entry_lines
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_check_entry_balanced();

-- 2. account_balances kept by triggers when entries are posted (the review's
--    "trigger-based balance updates"). Posting applies the entry's lines; un-posting
--    (Posted -> Void) reverses them; a line written to an already-posted entry
--    applies itself.
CREATE FUNCTION ledger_apply_lines(entry uuid, direction integer) RETURNS void
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

CREATE FUNCTION ledger_entry_balance_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.status = 'Posted' THEN
            PERFORM ledger_apply_lines(NEW.id, 1);
        END IF;
    ELSIF OLD.status IS DISTINCT FROM NEW.status THEN
        IF NEW.status = 'Posted' THEN
            PERFORM ledger_apply_lines(NEW.id, 1);
        ELSIF OLD.status = 'Posted' THEN
            PERFORM ledger_apply_lines(NEW.id, -1);
        END IF;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER trg_journal_entries_balance
    AFTER INSERT OR UPDATE OF status ON journal_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_balance_trigger();

CREATE FUNCTION ledger_line_balance_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    line journal_entry_lines;
    direction integer;
BEGIN
    IF TG_OP = 'DELETE' THEN
        line := OLD; direction := -1;
    ELSE
        line := NEW; direction := 1;
    END IF;
    IF EXISTS (SELECT 1 FROM journal_entries WHERE id = line.journal_entry_id AND status = 'Posted') THEN
        INSERT INTO account_balances AS ab (account_id, current_balance, updated_at)
        VALUES (line.account_id,
                direction * CASE WHEN line.line_type = 'DEBIT' THEN line.amount ELSE -line.amount END,
                now())
        ON CONFLICT (account_id) DO UPDATE
           SET current_balance = ab.current_balance + EXCLUDED.current_balance,
               updated_at = EXCLUDED.updated_at;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER trg_journal_entry_lines_balance
    AFTER INSERT OR DELETE ON journal_entry_lines
    FOR EACH ROW EXECUTE FUNCTION ledger_line_balance_trigger();

-- Lines of a posted entry are immutable: an UPDATE would need a reversal, which is
-- what voiding and re-posting is for.
CREATE FUNCTION ledger_forbid_posted_line_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM journal_entries WHERE id = OLD.journal_entry_id AND status = 'Posted') THEN
        RAISE EXCEPTION 'lines of posted journal entry % cannot be updated; void it and post a correction',
            OLD.journal_entry_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER trg_journal_entry_lines_immutable
    BEFORE UPDATE ON journal_entry_lines
    FOR EACH ROW EXECUTE FUNCTION ledger_forbid_posted_line_update();

-- 3. Audit trail on journal_entries and anchor_authorizations.
CREATE FUNCTION ledger_audit_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit_log (table_name, record_id, action, old_data, new_data, changed_at)
    VALUES (TG_TABLE_NAME,
            CASE WHEN TG_OP = 'DELETE' THEN OLD.id::text ELSE NEW.id::text END,
            TG_OP,
            CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE to_jsonb(OLD) END,
            CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE to_jsonb(NEW) END,
            now());
    RETURN NULL;
END $$;

CREATE TRIGGER trg_journal_entries_audit
    AFTER INSERT OR UPDATE OR DELETE ON journal_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_audit_trigger();

CREATE TRIGGER trg_anchor_authorizations_audit
    AFTER INSERT OR UPDATE OR DELETE ON anchor_authorizations
    FOR EACH ROW EXECUTE FUNCTION ledger_audit_trigger();
