#!/usr/bin/env bash
# Builds everything a release needs for the machine it runs on, into dist/:
#
#   dist/<rust target>/sequentum-mcp      the binary (fully static on Linux: musl)
#   dist/npm/*.tgz                        the npm launcher and this platform's package (npm pack)
#   dist/sequentum-mcp.mcpb               the Claude Desktop bundle, validated by the mcpb CLI
#   dist/server.json                      the MCP registry entry with the bundle's SHA-256
#   dist/SHA256SUMS                       checksums of all of the above
#
# Usage: bash packaging/build.sh [--profile dist|dist-ci] [--prebuilt DIR]
#   --profile   Cargo profile (default dist: LTO, one codegen unit, stripped; SEQUENTUM_DIST_PROFILE
#               sets it too). CI uses dist-ci, which builds much faster and packs the same layout.
#   --prebuilt  package binaries built elsewhere instead of building one here: DIR/<target>/
#               sequentum-mcp[.exe] for each target present (the release workflow's packaging
#               job). macOS goes into the bundle as DIR/universal-apple-darwin/sequentum-mcp.
#
# Needs cargo (rustup), node and npm. On Linux it adds the musl target with rustup and, when
# musl-gcc is missing, installs Debian's musl-tools with apt-get (the bundled SQLite is C).
# The mcpb CLI and ajv come from the npm registry, pinned, installed once under .cache/packaging.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PACKAGING=$ROOT/packaging
DIST=$ROOT/dist
TOOLS=$ROOT/.cache/packaging
NPM_TOOLS=(@anthropic-ai/mcpb@2.1.2 ajv@8.20.0 ajv-formats@3.0.1)

say() { printf '== packaging: %s\n' "$*" >&2; }
die() { printf 'PACKAGING FAILED: %s\n' "$*" >&2; exit 1; }

PROFILE=${SEQUENTUM_DIST_PROFILE:-dist}
PREBUILT=
while [ $# -gt 0 ]; do
  case $1 in
    --profile) PROFILE=${2:?--profile needs a value}; shift 2 ;;
    --prebuilt) PREBUILT=$(cd "${2:?--prebuilt needs a directory}" && pwd); shift 2 ;;
    *) die "unknown argument $1 (see the usage at the top of packaging/build.sh)" ;;
  esac
done
for tool in cargo node npm; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done

# The npm platform name and Rust target of this machine (the binary that runs here).
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) HOST=linux-x64 HOST_TARGET=x86_64-unknown-linux-musl ;;
  Linux-aarch64 | Linux-arm64) HOST=linux-arm64 HOST_TARGET=aarch64-unknown-linux-musl ;;
  Darwin-x86_64) HOST=darwin-x64 HOST_TARGET=x86_64-apple-darwin ;;
  Darwin-arm64) HOST=darwin-arm64 HOST_TARGET=aarch64-apple-darwin ;;
  MINGW*-x86_64 | MSYS*-x86_64 | CYGWIN*-x86_64) HOST=win32-x64 HOST_TARGET=x86_64-pc-windows-msvc ;;
  *) die "no release platform for $(uname -s) $(uname -m)" ;;
esac
exe() { case $1 in *windows*) echo sequentum-mcp.exe ;; *) echo sequentum-mcp ;; esac; }

VERSION=$(cd "$ROOT" && cargo metadata --no-deps --format-version 1 --locked |
  node -e 'const m = JSON.parse(require("fs").readFileSync(0)); console.log(m.packages.find((p) => p.name === "sequentum-mcp").version)')
say "sequentum-mcp $VERSION for $HOST, profile $PROFILE"

# ---- tools (the npm ones are cached) ----------------------------------------------------------
tools_installed() {
  local spec name version
  for spec in "${NPM_TOOLS[@]}"; do
    name=${spec%@*} version=${spec##*@}
    node -e 'process.exit(require(process.argv[1]).version === process.argv[2] ? 0 : 1)' \
      "$TOOLS/node_modules/$name/package.json" "$version" 2>/dev/null || return 1
  done
}
if ! tools_installed; then
  say "npm install ${NPM_TOOLS[*]} into .cache/packaging"
  mkdir -p "$TOOLS"
  [ -f "$TOOLS/package.json" ] || echo '{"name":"packaging-tools","private":true}' >"$TOOLS/package.json"
  npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error "${NPM_TOOLS[@]}" ||
    die "npm install of ${NPM_TOOLS[*]} failed"
fi
MCPB=$TOOLS/node_modules/.bin/mcpb

say "server.json against the registry's schema"
node "$PACKAGING/server-json.mjs" "$TOOLS" "$VERSION"

# ---- the binary -------------------------------------------------------------------------------
rm -rf "$DIST"
mkdir -p "$DIST/npm"
if [ -n "$PREBUILT" ]; then
  cp -R "$PREBUILT"/. "$DIST"/
  HOST_BIN=$DIST/$HOST_TARGET/$(exe "$HOST_TARGET")
  [ -x "$HOST_BIN" ] || die "--prebuilt $PREBUILT has no $HOST_TARGET/$(exe "$HOST_TARGET") (it is needed to list the tools)"
else
  if [[ $HOST_TARGET == *-linux-musl ]]; then
    rustup target list --installed | grep -qx "$HOST_TARGET" || rustup target add "$HOST_TARGET" ||
      die "rustup target add $HOST_TARGET failed"
    if ! command -v musl-gcc >/dev/null; then
      say "musl-gcc is missing: apt-get install musl-tools"
      SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
      { $SUDO apt-get install -y musl-tools || { $SUDO apt-get update && $SUDO apt-get install -y musl-tools; }; } >&2 ||
        die "could not install musl-tools; install a musl C compiler (musl-gcc) by hand"
    fi
  fi
  say "cargo build --profile $PROFILE --target $HOST_TARGET"
  (cd "$ROOT" && cargo build --locked --profile "$PROFILE" --target "$HOST_TARGET" --bin sequentum-mcp) ||
    die "cargo build failed"
  TARGET_DIR=$(cd "$ROOT" && cargo metadata --no-deps --format-version 1 |
    node -e 'console.log(JSON.parse(require("fs").readFileSync(0)).target_directory)')
  mkdir -p "$DIST/$HOST_TARGET"
  cp "$TARGET_DIR/$HOST_TARGET/$PROFILE/$(exe "$HOST_TARGET")" "$DIST/$HOST_TARGET/"
  HOST_BIN=$DIST/$HOST_TARGET/$(exe "$HOST_TARGET")
fi
if [[ $HOST_TARGET == *-linux-musl ]]; then
  # A static executable has no program interpreter (ld.so) to ask for.
  if readelf --program-headers "$HOST_BIN" | grep -q INTERP; then
    die "$HOST_BIN is dynamically linked; the Linux release binary must be static"
  fi
fi
[ "$("$HOST_BIN" --version)" = "sequentum-mcp $VERSION" ] || die "$HOST_BIN --version does not say $VERSION"
say "binary: $(du -h "$HOST_BIN" | cut -f1) at ${HOST_BIN#"$ROOT"/}"

# ---- what the server offers, for the bundle's manifest ----------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sequentum-packaging.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
"$HOST_BIN" tools --toolsets all >"$WORK/tools.json" 2>/dev/null || die "$HOST_BIN tools failed"
# Prompts as served, over stdio; the cloud backend at a closed port (listing makes no call).
SEQUENTUM_API_KEY=packaging SEQUENTUM_API_URL=http://127.0.0.1:9 SEQUENTUM_MCP_DATA_DIR=$WORK/data \
  node "$PACKAGING/mcp-client.mjs" --prompts -- "$HOST_BIN" >"$WORK/served.json" 2>"$WORK/served.log" ||
  die "the server did not answer over stdio: $(cat "$WORK/served.log")"

# ---- npm --------------------------------------------------------------------------------------
pack() {
  (cd "$1" && npm pack --silent --pack-destination "$DIST/npm" >/dev/null) || die "npm pack of $1 failed"
}
say "npm packages"
node "$PACKAGING/npm/stage.mjs" launcher "$WORK/npm/launcher" "$VERSION"
pack "$WORK/npm/launcher"
for platform in $(node -e 'console.log(Object.keys(require(process.argv[1])).join(" "))' "$PACKAGING/npm/platforms.json"); do
  target=$(node -e 'console.log(require(process.argv[1])[process.argv[2]].target)' "$PACKAGING/npm/platforms.json" "$platform")
  binary=$DIST/$target/$(exe "$target")
  [ -f "$binary" ] || continue
  node "$PACKAGING/npm/stage.mjs" platform "$WORK/npm/$platform" "$VERSION" "$platform" "$binary"
  pack "$WORK/npm/$platform"
done

# ---- the Claude Desktop bundle ----------------------------------------------------------------
say "MCPB bundle"
bundle_binary() { # <bundle platform> <binary>
  [ -f "$2" ] || return 0
  mkdir -p "$WORK/mcpb/server/$1"
  cp "$2" "$WORK/mcpb/server/$1/"
}
bundle_binary linux "$DIST/x86_64-unknown-linux-musl/sequentum-mcp"
bundle_binary darwin "$DIST/universal-apple-darwin/sequentum-mcp"
case $HOST in darwin-*) bundle_binary darwin "$HOST_BIN" ;; esac
bundle_binary win32 "$DIST/x86_64-pc-windows-msvc/sequentum-mcp.exe"
node "$PACKAGING/mcpb/make-manifest.mjs" "$WORK/mcpb" "$VERSION" "$WORK/tools.json" "$WORK/served.json"
"$MCPB" validate "$WORK/mcpb/manifest.json" >&2 || die "mcpb validate rejected the manifest"
"$MCPB" pack "$WORK/mcpb" "$DIST/sequentum-mcp.mcpb" >&2 || die "mcpb pack failed"

say "dist/server.json with the bundle's SHA-256"
node "$PACKAGING/server-json.mjs" "$TOOLS" "$VERSION" "$DIST/sequentum-mcp.mcpb" "$DIST/server.json"

# ---- checksums --------------------------------------------------------------------------------
(
  cd "$DIST"
  files=$(find . -type f ! -name SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort)
  if command -v sha256sum >/dev/null; then sha256sum $files; else shasum -a 256 $files; fi >SHA256SUMS
)
say "done:"
(cd "$DIST" && cat SHA256SUMS >&2)
