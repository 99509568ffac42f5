//! Compacts the generated tool schemas and puts the platform's id schema in: tools/list is read
//! by a model on every conversation, so every character counts (see the budgets in
//! `mcp::toolsets`).
//!
//! schemars writes what a validator could use but a model does not need: the `$schema`
//! dialect (2020-12 is MCP's default), integer `format`s, `default: null`, and `null` as a
//! second type of optional fields. Optional fields stay optional (absent from `required`).
//! Output schemas also lose their descriptions and `required` lists: clients validate results
//! against them (every field the server always sends is still typed), while the model learns a
//! result's meaning from the tool description and the result's own `next_step`.

use serde_json::{Map, Value};

use crate::jobs::ID_SCHEMA_MARKER;

/// Which side of a tool a schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Input,
    Output,
}

/// Compacts one schema in place, writing `id_schema` wherever an `Id` stands.
pub fn compact(schema: &mut Map<String, Value>, side: Side, id_schema: &Value) {
    schema.remove("$schema");
    compact_node(schema, side, id_schema);
}

fn compact_node(node: &mut Map<String, Value>, side: Side, id_schema: &Value) {
    if node.remove(ID_SCHEMA_MARKER).is_some()
        && let Value::Object(id) = id_schema
    {
        node.extend(id.clone());
    }
    node.remove("format");
    if side == Side::Output {
        node.remove("description");
    }
    if node.get("default") == Some(&Value::Null) {
        node.remove("default");
    }
    if node.get("minimum") == Some(&Value::from(0))
        && node.get("type") == Some(&Value::from("integer"))
    {
        node.remove("minimum");
    }
    let required: Vec<String> = if side == Side::Output {
        node.remove("required");
        Vec::new()
    } else {
        node.get("required")
            .and_then(Value::as_array)
            .map(|r| {
                r.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    if let Some(Value::Object(properties)) = node.get_mut("properties") {
        for (name, property) in properties.iter_mut() {
            if let Value::Object(property) = property {
                if !required.contains(name) {
                    drop_null_alternative(property);
                }
                compact_node(property, side, id_schema);
            }
        }
    }
    for key in ["$defs", "items", "additionalProperties"] {
        match node.get_mut(key) {
            Some(Value::Object(children)) if key == "$defs" => children
                .values_mut()
                .filter_map(Value::as_object_mut)
                .for_each(|child| compact_node(child, side, id_schema)),
            Some(Value::Object(child)) => compact_node(child, side, id_schema),
            _ => {}
        }
    }
}

/// `{"type": ["string", "null"]}` -> `{"type": "string"}`, and
/// `{"anyOf": [{"$ref": ..}, {"type": "null"}]}` -> `{"$ref": ..}`.
fn drop_null_alternative(property: &mut Map<String, Value>) {
    if let Some(Value::Array(types)) = property.get("type") {
        let kept: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
        if let [single] = kept.as_slice() {
            property.insert("type".into(), single.clone());
        }
    }
    if let Some(Value::Array(options)) = property.get("anyOf") {
        let kept: Vec<Value> = options
            .iter()
            .filter(|o| o.get("type") != Some(&Value::from("null")))
            .cloned()
            .collect();
        if let [Value::Object(single)] = kept.as_slice() {
            property.remove("anyOf");
            property.extend(single.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn optional_fields_lose_null_types_and_noise_but_stay_optional() {
        let mut schema = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "properties": {
                "limit": {"type": ["integer", "null"], "format": "int64", "default": null},
                "id": {"type": "integer", "format": "int64"},
                "run": {"anyOf": [{"$ref": "#/$defs/Run"}, {"type": "null"}]},
                "agent": {"anyOf": [{"x-platform-id": true}, {"type": "null"}], "description": "d"},
                "must": {"type": ["string", "null"]}
            },
            "required": ["id", "must"],
            "$defs": {"Run": {"type": "object", "properties": {"n": {"type": "integer", "format": "uint64", "minimum": 0}}}}
        });
        compact(
            schema.as_object_mut().unwrap(),
            Side::Input,
            &json!({"type": "integer"}),
        );
        assert_eq!(
            schema,
            json!({
                "type": "object",
                "properties": {
                    "limit": {"type": "integer"},
                    "id": {"type": "integer"},
                    "run": {"$ref": "#/$defs/Run"},
                    "agent": {"type": "integer", "description": "d"},
                    "must": {"type": ["string", "null"]}
                },
                "required": ["id", "must"],
                "$defs": {"Run": {"type": "object", "properties": {"n": {"type": "integer"}}}}
            })
        );
    }

    #[test]
    fn output_schemas_lose_descriptions_inputs_keep_them() {
        let schema = json!({"type": "object", "description": "x", "properties": {"a": {"type": "string", "description": "kept?"}}});
        let mut input = schema.clone();
        compact(input.as_object_mut().unwrap(), Side::Input, &Value::Null);
        assert_eq!(input["properties"]["a"]["description"], "kept?");
        let mut output = schema;
        compact(output.as_object_mut().unwrap(), Side::Output, &Value::Null);
        assert_eq!(
            output,
            json!({"type": "object", "properties": {"a": {"type": "string"}}})
        );
    }
}
