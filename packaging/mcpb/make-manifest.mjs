#!/usr/bin/env node
// Writes <bundle>/manifest.json from the checked-in template next to this script: the version
// (Cargo.toml's), the tools (`sequentum-mcp tools --toolsets all`, every tool a Sequentum
// backend can offer), the prompts (as served, from mcp-client.mjs --prompts), and the platforms
// whose binary is in <bundle>/server/<platform>/. A bundle built on one machine thus claims only
// the platform it carries; the release workflow's bundle carries all three.
//
//   node make-manifest.mjs <bundle-dir> <version> <tools.json> <client-output.json>
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const [bundle, version, toolsFile, clientFile] = process.argv.slice(2);
if (!clientFile) {
  console.error("usage: make-manifest.mjs <bundle-dir> <version> <tools.json> <client-output.json>");
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const manifest = JSON.parse(readFileSync(join(here, "manifest.json"), "utf8"));
const readJson = (file) => JSON.parse(readFileSync(file, "utf8"));

const BINARIES = { linux: "sequentum-mcp", darwin: "sequentum-mcp", win32: "sequentum-mcp.exe" };
const platforms = Object.keys(BINARIES).filter((p) => existsSync(join(bundle, "server", p, BINARIES[p])));
if (platforms.length === 0) {
  console.error(`make-manifest: no binary under ${bundle}/server/<linux|darwin|win32>/`);
  process.exit(1);
}

manifest.version = version;
// The entry point names one binary; mcp_config and its platform overrides pick the right one.
manifest.server.entry_point = `server/${platforms[0]}/${BINARIES[platforms[0]]}`;
const config = manifest.server.mcp_config;
config.command = `\${__dirname}/${manifest.server.entry_point}`;
for (const p of Object.keys(config.platform_overrides)) {
  if (!platforms.includes(p)) delete config.platform_overrides[p];
}
manifest.compatibility.platforms = platforms;

// The first sentence of each description: the manifest lists tools for people to read.
const firstSentence = (text) => text.replace(/\s+/g, " ").split(/(?<=\.)\s/)[0];
manifest.tools = readJson(toolsFile).map((t) => ({ name: t.name, description: firstSentence(t.description) }));
manifest.prompts = readJson(clientFile).prompts.map(({ name, description, arguments: args, text }) => ({
  name,
  description,
  arguments: args,
  text,
}));
if (manifest.prompts.length === 0) {
  console.error("make-manifest: the server offered no prompts; is the client output from --prompts?");
  process.exit(1);
}

writeFileSync(join(bundle, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
console.error(`make-manifest: ${manifest.tools.length} tools, ${manifest.prompts.length} prompt(s), platforms ${platforms.join(", ")}`);
