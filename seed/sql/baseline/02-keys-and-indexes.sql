-- Phase 2 of 3, after the load: keys and the review's "basic indexing strategy"
-- only (primary keys, foreign-key columns, anchor user_address). No date, source or
-- status index: those are what the review's variants add, and what is measured.
--
-- The file runs as one script (in this order), and the seeder also splits it at the
-- "-- group:" lines and runs independent groups on two connections at once; a group
-- starts only after the groups named in its "after" list (the tables its foreign keys
-- reference). Keep each statement inside the group of its table.

-- group: journal_entries
ALTER TABLE journal_entries       ADD PRIMARY KEY (id);
ALTER TABLE journal_entries       ADD CONSTRAINT journal_entries_entry_number_key UNIQUE (entry_number);
-- Identity columns continue after the seeded ids (here and in each group below).
SELECT setval(pg_get_serial_sequence('journal_entries', 'entry_number'), coalesce((SELECT max(entry_number) FROM journal_entries), 1), (SELECT max(entry_number) FROM journal_entries) IS NOT NULL);

-- group: accounts
ALTER TABLE accounts              ADD PRIMARY KEY (id);
ALTER TABLE accounts              ADD CONSTRAINT accounts_code_key UNIQUE (code);
ALTER TABLE account_balances      ADD PRIMARY KEY (account_id);
ALTER TABLE account_balances
    ADD CONSTRAINT account_balances_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id);
SELECT setval(pg_get_serial_sequence('accounts', 'id'),                 coalesce((SELECT max(id) FROM accounts), 1), (SELECT max(id) FROM accounts) IS NOT NULL);

-- group: event_correlations
ALTER TABLE event_correlations    ADD PRIMARY KEY (id);
CREATE INDEX idx_event_correlations_correlation   ON event_correlations (correlation_id);
SELECT setval(pg_get_serial_sequence('event_correlations', 'id'),       coalesce((SELECT max(id) FROM event_correlations), 1), (SELECT max(id) FROM event_correlations) IS NOT NULL);

-- group: journal_entry_lines after journal_entries, accounts
ALTER TABLE journal_entry_lines   ADD PRIMARY KEY (id);
-- The unique (journal_entry_id, line_number) key doubles as the index on the
-- lines -> entries foreign key column.
ALTER TABLE journal_entry_lines
    ADD CONSTRAINT journal_entry_lines_entry_fk   FOREIGN KEY (journal_entry_id) REFERENCES journal_entries (id),
    ADD CONSTRAINT journal_entry_lines_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id),
    ADD CONSTRAINT journal_entry_lines_entry_line_key UNIQUE (journal_entry_id, line_number);
CREATE INDEX idx_journal_entry_lines_account      ON journal_entry_lines (account_id);
SELECT setval(pg_get_serial_sequence('journal_entry_lines', 'id'),      coalesce((SELECT max(id) FROM journal_entry_lines), 1), (SELECT max(id) FROM journal_entry_lines) IS NOT NULL);

-- group: audit_log
ALTER TABLE audit_log             ADD PRIMARY KEY (id);
SELECT setval(pg_get_serial_sequence('audit_log', 'id'),                coalesce((SELECT max(id) FROM audit_log), 1), (SELECT max(id) FROM audit_log) IS NOT NULL);

-- group: anchor_authorizations after journal_entries
ALTER TABLE anchor_authorizations ADD PRIMARY KEY (id);
ALTER TABLE anchor_authorizations
    ADD CONSTRAINT anchor_authorizations_entry_fk FOREIGN KEY (journal_entry_id) REFERENCES journal_entries (id);
CREATE INDEX idx_anchor_authorizations_entry      ON anchor_authorizations (journal_entry_id);
CREATE INDEX idx_anchor_authorizations_user       ON anchor_authorizations (user_address);
