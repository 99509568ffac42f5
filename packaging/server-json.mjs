#!/usr/bin/env node
// Checks server.json (the MCP registry entry) and writes the copy a release publishes:
//
//   node server-json.mjs <tools-dir> <version> [<bundle.mcpb> <out.json>]
//
// 1. schema/server.schema.json must be the registry's published 2025-12-11 schema (sha256
//    pinned below), and server.json must validate against it (ajv, draft-07, with formats);
// 2. the entry, its npm package, its image tag and its bundle URL must all carry <version>
//    (Cargo.toml's), so a release cannot publish a stale entry;
// 3. with a bundle, the copy written to <out.json> carries the bundle's SHA-256 in place of
//    the checked-in placeholder, and is validated again.
// ajv and ajv-formats are loaded from <tools-dir>/node_modules (packaging/build.sh installs
// them under .cache/), so the repository holds no Node dependencies.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// sha256 of https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json, as
// published in github.com/modelcontextprotocol/static (schemas/2025-12-11/server.schema.json).
const SCHEMA_SHA256 = "3fba09590c99f61735d234822279f4223fab9e300c0a81e81c91ab62a4114de0";
const SCHEMA_URL = "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json";

const [toolsDir, version, bundle, out] = process.argv.slice(2);
if (!version || (bundle && !out)) {
  console.error("usage: server-json.mjs <tools-dir> <version> [<bundle.mcpb> <out.json>]");
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(toolsDir, "node_modules", "noop.js"));
const Ajv = require("ajv");
const addFormats = require("ajv-formats");

const schemaBytes = readFileSync(join(here, "schema", "server.schema.json"));
const schemaSha = createHash("sha256").update(schemaBytes).digest("hex");
if (schemaSha !== SCHEMA_SHA256) {
  fail([`packaging/schema/server.schema.json has sha256 ${schemaSha}, not the published ${SCHEMA_SHA256}`]);
}
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(schemaBytes));

const entry = JSON.parse(readFileSync(join(here, "..", "server.json"), "utf8"));
check(entry, "server.json");
if (bundle) {
  const sha = createHash("sha256").update(readFileSync(bundle)).digest("hex");
  entry.packages.find((p) => p.registryType === "mcpb").fileSha256 = sha;
  check(entry, out);
  writeFileSync(out, JSON.stringify(entry, null, 2) + "\n");
}

function check(doc, label) {
  const problems = [];
  if (!validate(doc)) {
    for (const e of validate.errors) problems.push(`${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
  }
  if (doc.$schema !== SCHEMA_URL) problems.push(`$schema is ${doc.$schema}; it must be ${SCHEMA_URL}`);
  if (doc.version !== version) problems.push(`version is ${doc.version}; Cargo.toml says ${version}`);
  for (const p of doc.packages ?? []) {
    const carried = p.registryType === "oci" ? p.identifier.split(":").pop() : p.version;
    if (p.registryType === "mcpb" && !p.identifier.includes(`/v${version}/`)) {
      problems.push(`the mcpb URL ${p.identifier} is not the v${version} release's`);
    }
    if (carried !== version) problems.push(`the ${p.registryType} package is at ${carried}; Cargo.toml says ${version}`);
  }
  if (problems.length) fail(problems.map((p) => `${label}: ${p}`));
  console.error(`server-json: ${label} is valid against the registry's 2025-12-11 schema, at version ${version}`);
}

function fail(problems) {
  console.error(`server-json: INVALID\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
