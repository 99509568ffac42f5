//! The SQL functions for scraped text: `num(text)`, `date(text)` and `date(text, 'dmy'|'mdy')`.

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
    conn.create_scalar_function("date", 1, flags, |ctx| Ok(iso_date(ctx, None)))?;
    conn.create_scalar_function("date", 2, flags, |ctx| {
        let order = match ctx.get_raw(1) {
            ValueRef::Text(t) => std::str::from_utf8(t).ok().and_then(date::Order::named),
            _ => None,
        };
        match order {
            Some(order) => Ok(iso_date(ctx, Some(order))),
            None => sqlite_date(ctx.get::<Value>(0)?, ctx.get::<Value>(1)?),
        }
    })?;
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

/// `date(x)` or `date(x, order)`: text read as a date, as `YYYY-MM-DD`; NULL when it holds no
/// date or a date that reads two ways and no order settles it.
fn iso_date(ctx: &Context<'_>, order: Option<date::Order>) -> Value {
    match ctx.get_raw(0) {
        ValueRef::Text(t) => std::str::from_utf8(t)
            .ok()
            .and_then(|t| date::parse(t, order))
            .map_or(Value::Null, Value::Text),
        _ => Value::Null,
    }
}

thread_local! {
    /// A connection without our functions, where SQLite's own two-argument `date()` still
    /// answers; it runs nothing but that one statement.
    static PLAIN: Option<Connection> = Connection::open_in_memory().ok();
}

/// SQLite's own `date(x, modifier)` (e.g. `date('now', '-7 days')`), which registering
/// `date(text, 'dmy')` hides on the query connection.
fn sqlite_date(value: Value, modifier: Value) -> rusqlite::Result<Value> {
    PLAIN.with(|plain| match plain {
        Some(conn) => conn
            .prepare_cached("SELECT date(?1, ?2)")?
            .query_row([value, modifier], |r| r.get(0)),
        None => Ok(Value::Null),
    })
}
