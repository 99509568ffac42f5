#!/usr/bin/env node
// Runs an unpacked MCPB bundle's server the way Claude Desktop does, then talks MCP to it:
// the launch configuration comes from the mcpb library's own getMcpConfigForManifest (platform
// override, user settings over the manifest's defaults, ${__dirname} and ${user_config.*}
// substituted), and packaging/mcp-client.mjs runs initialize + tools/list through it.
//
//   node .ci/mcpb-run.mjs <tools-dir> <unpacked-bundle> '<user settings as JSON>'
//
// Prints the client's JSON on stdout; fails when the command is not the bundle's own binary.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [tools, bundle, settings = "{}"] = process.argv.slice(2);
const { getMcpConfigForManifest } = await import(
  pathToFileURL(join(tools, "node_modules", "@anthropic-ai", "mcpb", "dist", "index.js")).href
);
const manifest = JSON.parse(readFileSync(join(bundle, "manifest.json"), "utf8"));
const config = await getMcpConfigForManifest({
  manifest,
  extensionPath: resolve(bundle),
  systemDirs: { HOME: homedir() },
  userConfig: JSON.parse(settings),
  pathSeparator: sep,
});
if (!config) throw new Error("the manifest gives no launch configuration for these settings");
if (!config.command.startsWith(resolve(bundle) + sep)) {
  throw new Error(`the launch command ${config.command} is not inside the bundle`);
}
const unresolved = JSON.stringify(config).match(/\$\{[^}]+\}/);
if (unresolved) throw new Error(`the launch configuration keeps ${unresolved[0]} unresolved`);
console.error(`mcpb-run: ${config.command} ${config.args.join(" ")} with ${Object.keys(config.env).join(", ")}`);

const client = join(dirname(fileURLToPath(import.meta.url)), "..", "packaging", "mcp-client.mjs");
const run = spawnSync(process.execPath, [client, "--", config.command, ...config.args], {
  env: { ...process.env, ...config.env },
  stdio: "inherit",
});
process.exit(run.status ?? 1);
