/**
 * The ledger's triggers come from one template (seed/ledger-triggers.ts): the
 * baseline's phase 3 must stay byte for byte what seed/sql/baseline/03-triggers.sql
 * was, and the partitioned layout differs only where partitions need it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ledgerTriggersSql } from '../seed/ledger-triggers.js';

test('the baseline trigger SQL is unchanged (sha256 of the former 03-triggers.sql)', () => {
  const sql = ledgerTriggersSql();
  assert.equal(createHash('sha256').update(sql).digest('hex'), 'a9d160a52e8d9e7b92a629188b4eb7e51f07bf691aa6aaadc5ce10ae6689ffc5');
  assert.doesNotMatch(sql, /TG_ARGV|OR REPLACE|journal_entry_date/);
});

test('the partitioned layout names the logical table and matches entry dates', () => {
  const sql = ledgerTriggersSql({ partitioned: true });
  assert.doesNotMatch(sql, /^CREATE FUNCTION/m, 'every function replaces the installed one');
  assert.equal(sql.match(/coalesce\(TG_ARGV\[0\], TG_TABLE_NAME\)/g)?.length, 2, 'balanced check and audit');
  assert.match(sql, /FROM journal_entries WHERE id = entry AND date = entry_date;/);
  assert.match(sql, /WHERE id = line\.journal_entry_id AND date = line\.journal_entry_date AND status = 'Posted'/);
  assert.match(sql, /WHERE id = OLD\.journal_entry_id AND date = OLD\.journal_entry_date AND status = 'Posted'/);
  assert.match(sql, /ledger_audit_trigger\('anchor_authorizations'\)/);
  assert.match(sql, /ledger_check_entry_balanced\('journal_entry_lines'\)/);
});
