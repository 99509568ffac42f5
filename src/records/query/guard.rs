//! The guards around a query the model wrote: SQL from an untrusted caller runs against a
//! database that holds only the run's records, and may only read them.
//!
//! * An authorizer (checked while SQLite compiles the statement) allows `SELECT`, reading the
//!   dataset's own tables, recursive common table expressions and ordinary functions; it
//!   refuses everything else (writes, `ATTACH`, `PRAGMA`, transactions, the schema table,
//!   `load_extension`) and remembers what it refused so the error can say so.
//! * One statement, and it must be a read: a second statement or a statement that could write
//!   is refused before it runs.
//! * Limits: no attached databases, bounded string and statement lengths, bounded page cache
//!   with sorts and temporary tables spilled to disk, and a time limit enforced through the
//!   progress handler. (SQLite's heap limit is process-wide, so it would also starve the
//!   engine's own database; the per-connection limits bound memory instead.)

use std::{
    sync::{Arc, Mutex},
    time::Instant,
};

use rusqlite::{
    Connection,
    hooks::{AuthAction, AuthContext, Authorization},
    limits::Limit,
};

use super::QueryError;

/// Longest SQL text accepted: ample for one question, and short enough to travel in a cursor.
pub const MAX_SQL_BYTES: usize = 4_000;
/// Longest string or blob a query may build (e.g. with `group_concat` or `zeroblob`).
pub const MAX_VALUE_BYTES: i32 = 16 * 1024 * 1024;
/// Page cache of a query connection, in KiB; sorts and temporary tables spill to files beyond it.
const CACHE_KIB: i64 = 16 * 1024;
/// Virtual machine steps between two looks at the clock.
const STEPS_PER_CHECK: i32 = 10_000;
/// Readable things a query may not read: SQLite's own tables (the schema) and table-valued
/// functions that describe the database. With attaching refused, everything else a statement
/// can name is one of the dataset's tables, a common table expression or `json_each`/`json_tree`.
const REFUSED_TABLE_PREFIXES: [&str; 3] = ["sqlite_", "pragma_", "dbstat"];
/// Functions a query may not call.
const REFUSED_FUNCTIONS: [&str; 2] = ["load_extension", "fts3_tokenizer"];

/// What the authorizer refused while the last statement was compiled.
#[derive(Clone, Default)]
pub struct Refusals(Arc<Mutex<Option<String>>>);

impl Refusals {
    fn note(&self, what: String) {
        let mut first = self.0.lock().expect("refusals lock");
        first.get_or_insert(what);
    }

    pub fn take(&self) -> Option<String> {
        self.0.lock().expect("refusals lock").take()
    }
}

/// Sets the limits and the authorizer on a connection that will run untrusted queries over
/// the tables of its database `main`. Returns where refusals are noted.
pub fn protect(conn: &Connection) -> Result<Refusals, QueryError> {
    conn.execute_batch(&format!(
        "PRAGMA query_only = ON; PRAGMA temp_store = FILE; PRAGMA cache_size = -{CACHE_KIB}; \
         PRAGMA mmap_size = 0; PRAGMA trusted_schema = OFF;"
    ))?;
    conn.set_limit(Limit::SQLITE_LIMIT_ATTACHED, 0)?;
    conn.set_limit(Limit::SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)?;
    conn.set_limit(Limit::SQLITE_LIMIT_SQL_LENGTH, MAX_SQL_BYTES as i32)?;
    conn.set_limit(Limit::SQLITE_LIMIT_EXPR_DEPTH, 200)?;
    conn.set_limit(Limit::SQLITE_LIMIT_COMPOUND_SELECT, 50)?;
    let refusals = Refusals::default();
    let noted = refusals.clone();
    conn.authorizer(Some(move |ctx: AuthContext<'_>| match judge(&ctx) {
        Ok(()) => Authorization::Allow,
        Err(what) => {
            noted.note(what);
            Authorization::Deny
        }
    }));
    Ok(refusals)
}

/// Whether one action of a statement being compiled is allowed; `Err` says what it was.
fn judge(ctx: &AuthContext<'_>) -> Result<(), String> {
    let temp = ctx.database_name == Some("temp");
    match ctx.action {
        AuthAction::Select | AuthAction::Recursive => Ok(()),
        AuthAction::Read { table_name, .. } => {
            let name = table_name.to_ascii_lowercase();
            if temp || REFUSED_TABLE_PREFIXES.iter().any(|p| name.starts_with(p)) {
                Err(format!("reading {table_name}"))
            } else {
                Ok(())
            }
        }
        AuthAction::Function { function_name } => {
            let name = function_name.to_ascii_lowercase();
            if REFUSED_FUNCTIONS.contains(&name.as_str()) {
                Err(format!("the function {function_name}()"))
            } else {
                Ok(())
            }
        }
        AuthAction::Pragma { pragma_name, .. } => Err(format!("PRAGMA {pragma_name}")),
        AuthAction::Attach { .. } => Err("ATTACH".into()),
        AuthAction::Detach { .. } => Err("DETACH".into()),
        AuthAction::Insert { .. } => Err("INSERT".into()),
        AuthAction::Update { .. } => Err("UPDATE".into()),
        AuthAction::Delete { .. } => Err("DELETE".into()),
        AuthAction::Transaction { .. } | AuthAction::Savepoint { .. } => Err("transactions".into()),
        _ => Err("changing the database".into()),
    }
}

/// Checks that `sql` is a single read-only `SELECT` (or `WITH ... SELECT`, or `VALUES`) and
/// compiles it; the authorizer has its say while it compiles.
pub fn prepare<'c>(
    conn: &'c Connection,
    refusals: &Refusals,
    sql: &str,
) -> Result<rusqlite::Statement<'c>, QueryError> {
    if sql.len() > MAX_SQL_BYTES {
        return Err(QueryError::NotASelect(format!(
            "the statement is {} bytes long; at most {MAX_SQL_BYTES} are accepted",
            sql.len()
        )));
    }
    let first = first_keyword(sql);
    if first.is_empty() && skip_blanks(sql).is_empty() {
        return Err(QueryError::NotASelect("an empty statement".into()));
    }
    if STATEMENT_KEYWORDS.contains(&first.as_str()) {
        let article = if first.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        return Err(QueryError::NotASelect(format!(
            "{article} {} statement",
            first.to_ascii_uppercase()
        )));
    }
    let end = first_statement_end(sql);
    let rest = skip_blanks(&sql[end..]);
    if !rest.is_empty() {
        return Err(QueryError::NotASelect(format!(
            "a second statement ({})",
            excerpt(rest)
        )));
    }
    refusals.take();
    // Anything else that is not a SELECT is a misspelling SQLite reports as a syntax error.
    let statement = conn.prepare(sql).map_err(|e| match refusals.take() {
        Some(what) => QueryError::Refused(what),
        None => match e {
            rusqlite::Error::MultipleStatement => {
                QueryError::NotASelect("more than one statement".into())
            }
            other => compile_error(other, sql),
        },
    })?;
    if !statement.readonly() {
        return Err(QueryError::NotASelect("a statement that writes".into()));
    }
    Ok(statement)
}

/// SQLite's error for a statement it could not compile; a syntax error says at which
/// character of `sql` it is.
fn compile_error(e: rusqlite::Error, sql: &str) -> QueryError {
    if let rusqlite::Error::SqlInputError { msg, offset, .. } = &e
        && let Some(token) = msg
            .strip_prefix("near \"")
            .and_then(|m| m.strip_suffix("\": syntax error"))
    {
        let at = usize::try_from(*offset).unwrap_or_default().min(sql.len());
        let character = sql.get(..at).map_or(at, |before| before.chars().count()) + 1;
        return QueryError::Syntax(format!("at character {character}, near \"{token}\""));
    }
    match QueryError::from(e) {
        QueryError::Sql(message) if message.starts_with("incomplete input") => {
            QueryError::Syntax("at the end: the statement stops before it is complete".into())
        }
        other => other,
    }
}

/// Stops any statement of `conn` that is still running at `deadline`.
pub fn time_limit(conn: &Connection, deadline: Instant) {
    conn.progress_handler(STEPS_PER_CHECK, Some(move || Instant::now() >= deadline));
}

/// The first words of every SQLite statement other than a read (`SELECT`, `WITH`, `VALUES`).
const STATEMENT_KEYWORDS: [&str; 20] = [
    "alter",
    "analyze",
    "attach",
    "begin",
    "commit",
    "create",
    "delete",
    "detach",
    "drop",
    "end",
    "explain",
    "insert",
    "pragma",
    "reindex",
    "release",
    "replace",
    "rollback",
    "savepoint",
    "update",
    "vacuum",
];

/// `sql` after leading blanks, semicolons and comments.
fn skip_blanks(sql: &str) -> &str {
    let mut rest = sql.trim_start_matches(|c: char| c.is_whitespace() || c == ';');
    loop {
        if let Some(after) = rest.strip_prefix("--") {
            rest = after.split_once('\n').map_or("", |(_, r)| r);
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.split_once("*/").map_or("", |(_, r)| r);
        } else {
            return rest;
        }
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ';');
    }
}

/// The first word of `sql`, lowercased, after leading comments and blanks.
fn first_keyword(sql: &str) -> String {
    skip_blanks(sql)
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Where the first statement of `sql` ends: just after its `;` (one outside quotes, brackets
/// and comments), else the end of the text.
fn first_statement_end(sql: &str) -> usize {
    let bytes = sql.as_bytes();
    let skip_to = |from: usize, end: &str| {
        sql[from..]
            .find(end)
            .map_or(bytes.len(), |at| from + at + end.len())
    };
    let mut i = 0;
    while i < bytes.len() {
        i = match bytes[i] {
            q @ (b'\'' | b'"' | b'`') => skip_to(
                i + 1,
                if q == b'\'' {
                    "'"
                } else if q == b'"' {
                    "\""
                } else {
                    "`"
                },
            ),
            b'[' => skip_to(i + 1, "]"),
            b'-' if bytes.get(i + 1) == Some(&b'-') => skip_to(i + 2, "\n"),
            b'/' if bytes.get(i + 1) == Some(&b'*') => skip_to(i + 2, "*/"),
            b';' => return i + 1,
            _ => i + 1,
        };
    }
    bytes.len()
}

/// The start of `text` in quotes, cut at 60 characters, to name a statement in an error.
fn excerpt(text: &str) -> String {
    let text = text.trim();
    let short: String = text.chars().take(60).collect();
    if short.len() < text.len() {
        format!("\"{short}…\"")
    } else {
        format!("\"{short}\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_statement_ends_at_a_semicolon_outside_quotes_and_comments() {
        let sql = "SELECT ';', \"a;b\", [c;d] -- x;\n /* y; */ FROM t; DROP TABLE t";
        assert_eq!(&sql[first_statement_end(sql)..], " DROP TABLE t");
        assert_eq!(first_statement_end("SELECT 1"), 8);
        assert_eq!(skip_blanks(" ; -- note\n ;/* x */ "), "");
        assert_eq!(excerpt(&"x".repeat(100)).chars().count(), 63);
    }

    #[test]
    fn the_first_keyword_skips_comments() {
        assert_eq!(first_keyword("  -- note\n /* x */ SELECT 1"), "select");
        assert_eq!(
            first_keyword("with t as (select 1) select * from t"),
            "with"
        );
        assert_eq!(first_keyword("PRAGMA x"), "pragma");
        assert_eq!(first_keyword("/* never closed"), "");
    }
}
