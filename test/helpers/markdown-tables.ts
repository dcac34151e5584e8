/** Markdown tables in captured output or a report, to check that none is printed twice. */

/** Every Markdown table in `text` (a run of consecutive lines starting with `|`), as one string each, in order. */
export function markdownTables(text: string): string[] {
  const tables: string[] = [];
  let rows: string[] = [];
  for (const line of [...text.split('\n'), '']) {
    if (line.trimStart().startsWith('|')) rows.push(line.trim());
    else if (rows.length) {
      tables.push(rows.join('\n'));
      rows = [];
    }
  }
  return tables;
}

/** The tables that occur more than once in `text` (each listed once). */
export function repeatedTables(text: string): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const t of markdownTables(text)) (seen.has(t) ? repeated : seen).add(t);
  return [...repeated];
}
