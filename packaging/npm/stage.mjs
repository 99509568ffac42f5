#!/usr/bin/env node
// Lays out the npm packages in a directory, ready for `npm pack`:
//
//   node stage.mjs launcher <out-dir> <version>
//   node stage.mjs platform <out-dir> <version> <platform-arch> <binary>
//
// The launcher is `bin/sequentum-mcp.js` with one optional dependency per entry of
// platforms.json, all at <version>; a platform package holds one binary and the `os`/`cpu`
// fields that make npm install it only where it runs. The package names and the MCP registry
// name come from ../../server.json, so they are written in one place.
import { chmodSync, copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const readJson = (file) => JSON.parse(readFileSync(file, "utf8"));
const server = readJson(join(here, "..", "..", "server.json"));
const platforms = readJson(join(here, "platforms.json"));
const npm = server.packages.find((p) => p.registryType === "npm");
const common = {
  license: "MIT",
  repository: { type: "git", url: `git+${server.repository.url}.git` },
  homepage: server.websiteUrl,
};

const [kind, out, version, platform, binary] = process.argv.slice(2);
const write = (manifest) => writeFileSync(join(out, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
mkdirSync(join(out, "bin"), { recursive: true });

if (kind === "launcher" && version) {
  cpSync(join(here, "launcher"), out, { recursive: true });
  write({
    name: npm.identifier,
    version,
    description: server.description,
    mcpName: server.name,
    ...common,
    bin: { "sequentum-mcp": "bin/sequentum-mcp.js" },
    files: ["bin/"],
    engines: { node: ">=18" },
    optionalDependencies: Object.fromEntries(Object.keys(platforms).map((p) => [`${npm.identifier}-${p}`, version])),
  });
} else if (kind === "platform" && binary && platforms[platform]) {
  const [os, cpu] = platform.split("-");
  const executable = os === "win32" ? "sequentum-mcp.exe" : "sequentum-mcp";
  copyFileSync(binary, join(out, "bin", executable));
  chmodSync(join(out, "bin", executable), 0o755);
  write({
    name: `${npm.identifier}-${platform}`,
    version,
    description: `The sequentum-mcp binary for ${platforms[platform].label}, run by ${npm.identifier}.`,
    ...common,
    os: [os],
    cpu: [cpu],
    files: ["bin/"],
    preferUnplugged: true,
  });
} else {
  console.error(
    "usage: stage.mjs launcher <out-dir> <version>\n" +
      `       stage.mjs platform <out-dir> <version> <${Object.keys(platforms).join("|")}> <binary>`,
  );
  process.exit(2);
}
