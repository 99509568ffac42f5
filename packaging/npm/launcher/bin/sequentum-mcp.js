#!/usr/bin/env node
// Runs the native sequentum-mcp binary of this platform, which npm installed as the optional
// dependency `<this package>-<platform>-<arch>` (selected by its `os` and `cpu` fields, so
// nothing is downloaded at install time). stdin, stdout and stderr are the binary's own:
// stdout stays the MCP protocol channel. Signals are passed on and the exit status passed back.
"use strict";
const { spawn } = require("node:child_process");
const { name } = require("../package.json");

const platform = `${process.platform}-${process.arch}`;
const executable = process.platform === "win32" ? "sequentum-mcp.exe" : "sequentum-mcp";
let binary;
try {
  binary = require.resolve(`${name}-${platform}/bin/${executable}`);
} catch {
  process.stderr.write(
    `sequentum-mcp: no binary for ${platform}: the package ${name}-${platform} is not installed.\n` +
      `It is an optional dependency of ${name}; install again without --omit=optional or --no-optional.\n` +
      "Binaries exist for linux-x64, linux-arm64, darwin-x64, darwin-arm64 and win32-x64; elsewhere,\n" +
      "build from source: cargo install --git https://github.com/sequentum-mcp/sequentum-mcp.\n",
  );
  process.exit(1);
}

const child = spawn(binary, process.argv.slice(2), { stdio: "inherit", windowsHide: true });
const forwarded = ["SIGINT", "SIGTERM", "SIGHUP"];
for (const signal of forwarded) process.on(signal, () => child.kill(signal));
child.on("error", (error) => {
  process.stderr.write(`sequentum-mcp: could not start ${binary}: ${error.message}\n`);
  process.exit(1);
});
child.on("exit", (code, signal) => {
  if (signal) {
    // End the way the binary ended, so the client sees the same signal.
    for (const s of forwarded) process.removeAllListeners(s);
    process.kill(process.pid, signal);
  }
  process.exit(code ?? 1);
});
