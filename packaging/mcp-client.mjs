#!/usr/bin/env node
// A minimal MCP client over stdio, for the packaging scripts: it launches a command the way an
// MCP client does, sends `initialize`, `tools/list` (every page) and, with --prompts, fetches
// each prompt with `${arguments.<name>}` placeholders as its arguments (the form an MCPB
// manifest's prompt text takes). It prints what it learnt as JSON on stdout.
//
//   node packaging/mcp-client.mjs [--prompts] -- <command> [args...]
//
// Every line the server writes on stdout must be a JSON-RPC message (stdout is the protocol
// channel); anything else, an error answer, a timeout or a non-zero exit fails with a message.
// Written by hand because the official SDK would be the only dependency of these scripts, and
// the exchange needed here is four requests.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

const TIMEOUT_MS = 60_000;

const argv = process.argv.slice(2);
const separator = argv.indexOf("--");
if (separator < 0 || separator === argv.length - 1) {
  console.error("usage: mcp-client.mjs [--prompts] -- <command> [args...]");
  process.exit(2);
}
const wantPrompts = argv.slice(0, separator).includes("--prompts");
const [command, ...args] = argv.slice(separator + 1);

const fail = (message) => {
  console.error(`mcp-client: ${message}`);
  child.kill("SIGKILL");
  process.exit(1);
};

const child = spawn(command, args, { stdio: ["pipe", "pipe", "inherit"] });
child.on("error", (e) => fail(`could not start ${command}: ${e.message}`));
let finished = false;
child.on("exit", (code, signal) => {
  if (!finished) fail(`the server exited (${signal ?? `code ${code}`}) before answering; its stderr is above`);
});
const timer = setTimeout(() => fail(`no answer within ${TIMEOUT_MS / 1000} s`), TIMEOUT_MS);

const pending = new Map();
let nextId = 1;
createInterface({ input: child.stdout }).on("line", (line) => {
  let message;
  try {
    message = JSON.parse(line);
  } catch {
    fail(`the server wrote a line on stdout that is not JSON-RPC: ${line.slice(0, 200)}`);
  }
  const waiter = pending.get(message.id);
  if (!waiter) return; // notifications (logging, list changes) are not needed here
  pending.delete(message.id);
  if (message.error) fail(`${waiter.method} failed: ${JSON.stringify(message.error)}`);
  waiter.resolve(message.result);
});

function request(method, params = {}) {
  const id = nextId++;
  child.stdin.write(JSON.stringify({ jsonrpc: "2.0", id, method, params }) + "\n");
  return new Promise((resolve) => pending.set(id, { method, resolve }));
}

async function listAll(method, key) {
  const items = [];
  let cursor;
  do {
    const page = await request(method, cursor ? { cursor } : {});
    items.push(...page[key]);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

const init = await request("initialize", {
  protocolVersion: "2025-11-25",
  capabilities: {},
  clientInfo: { name: "sequentum-mcp-packaging", version: "1" },
});
child.stdin.write(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) + "\n");
const tools = await listAll("tools/list", "tools");
const result = {
  protocolVersion: init.protocolVersion,
  serverInfo: init.serverInfo,
  tools: tools.map(({ name, title, description }) => ({ name, title, description })),
};
if (wantPrompts) {
  result.prompts = [];
  for (const prompt of await listAll("prompts/list", "prompts")) {
    const names = (prompt.arguments ?? []).map((a) => a.name);
    const placeholders = Object.fromEntries(names.map((n) => [n, `\${arguments.${n}}`]));
    const got = await request("prompts/get", { name: prompt.name, arguments: placeholders });
    const text = got.messages.map((m) => m.content?.text ?? "").join("\n");
    result.prompts.push({ name: prompt.name, description: prompt.description, arguments: names, text });
  }
}

finished = true;
child.stdin.end();
const [code, signal] = await new Promise((resolve) => child.on("exit", (c, s) => resolve([c, s])));
clearTimeout(timer);
if (code !== 0) fail(`the server exited with ${signal ?? `code ${code}`} after stdin closed`);
console.log(JSON.stringify(result, null, 2));
