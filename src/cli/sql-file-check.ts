/**
 * Checks a pgbench script against the server before the clock starts: every SQL
 * statement is parsed and analysed (Parse + Sync of the extended protocol, what
 * `pgbench -M prepared` does first), never executed, so a syntax error, an unknown
 * table or column or a type mismatch is bad input reported at once with the server's
 * message and the script's line, instead of one error per scheduled transaction.
 */
import pg from 'pg';
import { newClient } from '../db/client.js';
import { inlineParams, type QueryMode } from '../engine/connection.js';
import type { ParsedScript } from '../workload/pgbench/script.js';

/** A statement the server refused to prepare. */
export interface PrepareFailure {
  /** Line of the script where the statement starts (1-based). */
  line: number;
  /** The server's message, with its SQLSTATE. */
  message: string;
}

interface Backend {
  parse(msg: { text: string; name?: string; types?: number[] }): void;
  sync(): void;
}

/**
 * node-pg "submittable": the client hands it the connection when it is this query's
 * turn and routes the backend's answers to it. It sends Parse (unnamed statement,
 * parameter types inferred as at run time) and Sync, so nothing runs.
 */
class ParseOnly {
  constructor(
    readonly text: string,
    private readonly done: (err: (Error & { code?: string }) | undefined) => void,
  ) {}
  submit(connection: Backend): void {
    connection.parse({ text: this.text, types: [] });
    connection.sync();
  }
  // node-pg clears its active query before an ErrorResponse reaches us, so the
  // ReadyForQuery that follows is not routed here: the error settles the check.
  handleError(err: Error & { code?: string }): void {
    this.done(err);
  }
  handleReadyForQuery(): void {
    this.done(undefined);
  }
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleCommandComplete(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
}

function parseOnly(client: pg.Client, text: string): Promise<(Error & { code?: string }) | undefined> {
  return new Promise((resolve) => {
    client.query(new ParseOnly(text, resolve) as unknown as pg.QueryConfig);
  });
}

/**
 * Parses every SQL statement of `script` on a connection to `databaseUrl` and returns
 * the ones the server rejects (empty when all prepare). The text is what the engine
 * will send in `mode`: `$n` bind parameters, or (simple) literals of the variables'
 * types, since types decide what parses. Connection failures are thrown: they are not
 * the script's fault.
 */
export async function unpreparableStatements(databaseUrl: string, script: Pick<ParsedScript, 'commands' | 'vars'>, mode: QueryMode): Promise<PrepareFailure[]> {
  const client = newClient({ connectionString: databaseUrl, application_name: 'ledger-bench script check' });
  await client.connect();
  try {
    const failures: PrepareFailure[] = [];
    for (const c of script.commands) {
      if (c.kind !== 'sql') continue;
      const sample = c.paramNames.map((n) => (script.vars.slots.get(n)?.isInt === false ? 0.5 : 1));
      const err = await parseOnly(client, mode === 'simple' && sample.length > 0 ? inlineParams(c.text, sample) : c.text);
      if (!err) continue;
      if (!(err as { severity?: string }).severity) throw err;
      failures.push({ line: c.line, message: `${err.message}${err.code ? ` (SQLSTATE ${err.code})` : ''}` });
    }
    return failures;
  } finally {
    await client.end().catch(() => {});
  }
}
