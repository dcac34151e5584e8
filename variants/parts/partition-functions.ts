/**
 * Partition management, corrected (trap 6). The review's
 * `format('CREATE TABLE %I PARTITION OF %I ...', partition_name, table_name, ...)`
 * quotes a schema-qualified 'public.journal_entries' as ONE identifier
 * ("public.journal_entries", a relation that does not exist). Here the name is split
 * with parse_ident() and formatted as %I.%I; bounds are %L literals.
 *
 * Note: CREATE TABLE ... PARTITION OF takes ACCESS EXCLUSIVE on the parent, so
 * partitions are created AHEAD of need (ensure_monthly_partitions), not on the hot
 * path; a month whose rows already sit in the DEFAULT partition cannot be created
 * until those rows are moved out (PostgreSQL refuses: the default partition would
 * violate the new partition's constraint).
 */

/** The review's original function, verbatim (for the trap test). */
export const REVIEW_CREATE_MONTHLY_PARTITION = `
CREATE OR REPLACE FUNCTION create_monthly_partition(table_name text, start_date date)
RETURNS void AS $$
DECLARE
    partition_name text := table_name || '_' || to_char(start_date, 'YYYY_MM');
    end_date date := start_date + interval '1 month';
BEGIN
    EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
        partition_name, table_name, start_date, end_date);
END;
$$ LANGUAGE plpgsql`;

/** Corrected create_monthly_partition + ensure_monthly_partitions (idempotent). */
export const PARTITION_FUNCTIONS_SQL = `
CREATE OR REPLACE FUNCTION create_monthly_partition(table_name text, start_date date)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    parts       text[] := parse_ident(table_name);
    schema_name text;
    parent_name text;
    month_start date := date_trunc('month', start_date)::date;
    month_end   date := (date_trunc('month', start_date) + interval '1 month')::date;
    part_name   text;
BEGIN
    IF cardinality(parts) = 2 THEN
        schema_name := parts[1];
        parent_name := parts[2];
    ELSIF cardinality(parts) = 1 THEN
        schema_name := current_schema();
        parent_name := parts[1];
    ELSE
        RAISE EXCEPTION 'create_monthly_partition: "%" is not [schema.]table', table_name;
    END IF;
    part_name := parent_name || '_' || to_char(month_start, 'YYYY_MM');
    IF to_regclass(format('%I.%I', schema_name, part_name)) IS NULL THEN
        EXECUTE format('CREATE TABLE %I.%I PARTITION OF %I.%I FOR VALUES FROM (%L) TO (%L)',
                       schema_name, part_name, schema_name, parent_name, month_start, month_end);
    END IF;
    RETURN format('%I.%I', schema_name, part_name);
END $$;

-- Creates every monthly partition from the month of from_date to the month of to_date.
CREATE OR REPLACE FUNCTION ensure_monthly_partitions(table_name text, from_date date, to_date date)
RETURNS SETOF text
LANGUAGE sql AS $$
    SELECT create_monthly_partition(table_name, m::date)
      FROM generate_series(date_trunc('month', from_date), date_trunc('month', to_date), interval '1 month') AS m;
$$`;
