//! One rule for numeric arguments, the same for every tool.
//!
//! * A number may come as a JSON number or as a string holding one (`10` and `"10"` are the
//!   same limit, as `1` and `"1"` are the same agent id); anything else is refused, naming what
//!   came instead.
//! * A number outside its documented range is refused with the range, never clamped: a model
//!   that asked for 100 seconds learns the bound instead of silently getting 45.
//!
//! Tools declare numeric inputs as `i64` with `#[serde(deserialize_with = "number::required")]`
//! or `Option<i64>` with `#[serde(default, deserialize_with = "number::optional")]`, and check
//! bounds with [`in_range`] (or [`wait`] for `wait_seconds`).

use std::time::Duration;

use serde::{Deserialize, Deserializer, de::Error};
use serde_json::Value;

use super::failure::{ToolFailure, excerpt};
use crate::serde_words::json_kind;

/// The rule as the server instructions state it.
pub const RULE: &str = "Numbers may be sent as numbers or as strings holding them; a number outside the range its description gives is refused with that range, never clamped.";

/// Longest wait a tool accepts: well under the ~60 s common clients allow a call.
pub const MAX_WAIT_SECONDS: i64 = 45;

/// Deserializes an optional whole number given as a JSON number or a string holding one.
pub fn optional<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        value => whole(&value).map(Some).map_err(D::Error::custom),
    }
}

/// Deserializes a required whole number given as a JSON number or a string holding one.
pub fn required<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    whole(&Value::deserialize(d)?).map_err(D::Error::custom)
}

/// The whole number in `value`, or why there is none.
fn whole(value: &Value) -> Result<i64, String> {
    match value {
        Value::Number(n) => n
            .as_i64()
            .ok_or_else(|| format!("expected a whole number, got {n}")),
        Value::String(s) => s
            .trim()
            .parse()
            .map_err(|_| format!("expected a whole number, got the string \"{}\"", excerpt(s))),
        other => Err(format!("expected a whole number, got {}", json_kind(other))),
    }
}

/// Checks a bounded number argument, refusing a value outside `min..=max` with the range.
pub fn in_range(name: &str, value: i64, min: i64, max: i64) -> Result<i64, ToolFailure> {
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(ToolFailure::invalid(
            format!("{name} is {value}, outside its range of {min} to {max}"),
            format!("Pass {name} from {min} to {max}"),
        ))
    }
}

/// The wait a tool was asked for (`default` seconds when none was given), refused when it is
/// outside 0 to 45 seconds.
pub fn wait(seconds: Option<i64>, default: i64) -> Result<Duration, ToolFailure> {
    let seconds = in_range(
        "wait_seconds",
        seconds.unwrap_or(default),
        0,
        MAX_WAIT_SECONDS,
    )?;
    Ok(Duration::from_secs(seconds as u64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, Deserialize)]
    struct Input {
        #[serde(default, deserialize_with = "optional")]
        limit: Option<i64>,
    }

    fn limit(value: Value) -> Result<Option<i64>, String> {
        serde_json::from_value::<Input>(value)
            .map(|i| i.limit)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn numbers_come_as_numbers_or_strings_holding_them() {
        assert_eq!(limit(json!({"limit": 10})), Ok(Some(10)));
        assert_eq!(limit(json!({"limit": " 10 "})), Ok(Some(10)));
        assert_eq!(limit(json!({})), Ok(None));
        assert_eq!(limit(json!({"limit": null})), Ok(None));
        assert_eq!(
            limit(json!({"limit": "ten"})),
            Err("expected a whole number, got the string \"ten\"".into())
        );
        assert!(limit(json!({"limit": 1.5})).unwrap_err().contains("1.5"));
        assert!(
            limit(json!({"limit": [1]}))
                .unwrap_err()
                .contains("an array")
        );
    }

    #[test]
    fn out_of_range_is_refused_with_the_range_waits_included() {
        assert_eq!(in_range("limit", 5, 1, 500).unwrap(), 5);
        let refused = in_range("limit", 0, 1, 500).unwrap_err().text();
        assert_eq!(
            refused,
            "invalid_argument: limit is 0, outside its range of 1 to 500. Pass limit from 1 to 500."
        );
        assert_eq!(wait(None, 20).unwrap(), Duration::from_secs(20));
        assert_eq!(wait(Some(45), 0).unwrap(), Duration::from_secs(45));
        for bad in [-5, 46, 100] {
            let text = wait(Some(bad), 0).unwrap_err().text();
            assert!(text.contains("from 0 to 45"), "{text}");
        }
    }
}
