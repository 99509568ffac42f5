//! The SQL functions for scraped text: `num(text)` and `date(text)`.

use rusqlite::{
    Connection,
    functions::{Context, FunctionFlags},
    types::{Value, ValueRef},
};

use super::{date, num};

/// Adds `num()` and `date()` to `conn`. `num()` is deterministic (the same text always gives
/// the same answer), so SQLite may fold repeated calls; `date('now')` is not.
pub fn register(conn: &Connection) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_INNOCUOUS;
    conn.create_scalar_function(
        "num",
        1,
        flags | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| Ok(number(ctx)),
    )?;
    conn.create_scalar_function("date", 1, flags, |ctx| Ok(iso_date(ctx)))?;
    Ok(())
}

/// `num(x)`: numbers pass through, text is read as a number, anything else is NULL.
fn number(ctx: &Context<'_>) -> Value {
    match ctx.get_raw(0) {
        ValueRef::Integer(i) => Value::Integer(i),
        ValueRef::Real(r) => Value::Real(r),
        ValueRef::Text(t) => match std::str::from_utf8(t).ok().and_then(num::parse) {
            Some(num::Number::Integer(i)) => Value::Integer(i),
            Some(num::Number::Real(r)) => Value::Real(r),
            None => Value::Null,
        },
        _ => Value::Null,
    }
}

/// `date(x)`: text read as a date, as `YYYY-MM-DD`; NULL when it holds no date.
fn iso_date(ctx: &Context<'_>) -> Value {
    match ctx.get_raw(0) {
        ValueRef::Text(t) => std::str::from_utf8(t)
            .ok()
            .and_then(date::parse)
            .map_or(Value::Null, Value::Text),
        _ => Value::Null,
    }
}
