#!/usr/bin/env bash
# The release layout, end to end on Linux x64, as a user without Rust gets it:
#   1. packaging/build.sh builds the static musl binary (with the quicker dist-ci profile; the
#      layout is the shipping one), the npm launcher and linux-x64 tarballs, the .mcpb (validated
#      by the mcpb CLI), dist/server.json (validated against the registry's vendored schema) and
#      dist/SHA256SUMS;
#   2. npm installs the two tarballs into a temporary prefix (no network beyond the registry),
#      and `npx sequentum-mcp-server --version` and an MCP initialize + tools/list run through the
#      installed command;
#   3. the bundle is unpacked with the mcpb CLI and its server launched as Claude Desktop does,
#      with the settings left at their defaults, then with a data directory, through an MCP client.
# PACKAGING_PROFILE=dist checks the shipping build instead (slow: LTO and one codegen unit);
# PACKAGING_PREBUILT=DIR checks binaries built elsewhere (DIR/<target>/sequentum-mcp).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TOOLS=$ROOT/.cache/packaging
DIST=$ROOT/dist
say() { printf '\n== packaging: %s\n' "$*"; }
die() { printf '\nPACKAGING CHECK FAILED: %s\n' "$*" >&2; exit 1; }

if [ -n "${PACKAGING_PREBUILT:-}" ]; then
  bash "$ROOT/packaging/build.sh" --prebuilt "$PACKAGING_PREBUILT"
else
  bash "$ROOT/packaging/build.sh" --profile "${PACKAGING_PROFILE:-dist-ci}"
fi

VERSION=$("$DIST/x86_64-unknown-linux-musl/sequentum-mcp" --version | cut -d' ' -f2)
PACKAGE=$(node -e 'console.log(require(process.argv[1]).packages.find((p) => p.registryType === "npm").identifier)' "$ROOT/server.json")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sequentum-packaging-check.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# Every release file is listed in SHA256SUMS and matches it.
say "SHA256SUMS"
(cd "$DIST" && sha256sum --check --quiet SHA256SUMS) || die "dist/SHA256SUMS does not match dist/"
for file in "npm/$PACKAGE-$VERSION.tgz" "npm/$PACKAGE-linux-x64-$VERSION.tgz" sequentum-mcp.mcpb server.json \
  x86_64-unknown-linux-musl/sequentum-mcp; do
  grep -q " $file\$" "$DIST/SHA256SUMS" || die "dist/SHA256SUMS does not list $file"
done

# The tools a client must see, whatever the toolsets: the core loop.
expect_tools() { # <client output> <label>
  node -e '
    const [file, label, version] = process.argv.slice(1);
    const got = JSON.parse(require("fs").readFileSync(file, "utf8"));
    const names = got.tools.map((t) => t.name);
    const missing = ["build_agent", "run_agent", "get_run_status", "fetch_records"].filter((n) => !names.includes(n));
    if (got.serverInfo.version !== version || missing.length) {
      console.error(`${label}: server ${JSON.stringify(got.serverInfo)}, missing tools ${missing}`);
      process.exit(1);
    }
    console.log(`${label}: ${got.serverInfo.name} ${got.serverInfo.version}, ${names.length} tools`);
  ' "$1" "$2" "$VERSION" || die "$2 did not serve the expected tools"
}

say "npm install of the launcher and linux-x64 tarballs into a temporary prefix"
mkdir -p "$WORK/app"
echo '{"name":"packaging-check","private":true}' >"$WORK/app/package.json"
(cd "$WORK/app" && npm install --no-audit --no-fund --loglevel=error \
  "$DIST/npm/$PACKAGE-$VERSION.tgz" "$DIST/npm/$PACKAGE-linux-x64-$VERSION.tgz") ||
  die "npm install of the tarballs failed"
# `--` keeps npx from answering --version itself; --no forbids a download.
got=$(cd "$WORK/app" && npx --no -- "$PACKAGE" --version) || die "npx $PACKAGE --version failed"
[ "$got" = "sequentum-mcp $VERSION" ] || die "npx $PACKAGE --version said '$got', not 'sequentum-mcp $VERSION'"
echo "npx $PACKAGE --version: $got"
(cd "$WORK/app" && SEQUENTUM_MCP_ENGINE_MODE=in-process SEQUENTUM_MCP_DATA_DIR=$WORK/npm-data \
  node "$ROOT/packaging/mcp-client.mjs" -- npx --no -- "$PACKAGE") >"$WORK/npm.json" ||
  die "MCP over stdio through the installed npx command failed"
expect_tools "$WORK/npm.json" "npx $PACKAGE"

say "the bundle, unpacked and launched as Claude Desktop does"
"$TOOLS/node_modules/.bin/mcpb" unpack "$DIST/sequentum-mcp.mcpb" "$WORK/bundle" >/dev/null ||
  die "mcpb unpack failed"
"$TOOLS/node_modules/.bin/mcpb" validate "$WORK/bundle/manifest.json" >/dev/null ||
  die "the unpacked manifest does not validate"
# Settings left blank: the data directory must then be the platform default under HOME.
mkdir -p "$WORK/home"
(env -u XDG_DATA_HOME HOME="$WORK/home" SEQUENTUM_MCP_ENGINE_MODE=in-process \
  node "$ROOT/.ci/mcpb-run.mjs" "$TOOLS" "$WORK/bundle" '{}') >"$WORK/bundle-default.json" ||
  die "the bundle's server did not answer with its settings at their defaults"
expect_tools "$WORK/bundle-default.json" "bundle, default settings"
[ -d "$WORK/home/.local/share/sequentum-mcp" ] ||
  die "with the data directory left blank, the engine did not use the default one under HOME"
(SEQUENTUM_MCP_ENGINE_MODE=in-process node "$ROOT/.ci/mcpb-run.mjs" "$TOOLS" "$WORK/bundle" \
  "{\"data_directory\": \"$WORK/bundle-data\", \"toolsets\": \"all\"}") >"$WORK/bundle-set.json" ||
  die "the bundle's server did not answer with a data directory set"
expect_tools "$WORK/bundle-set.json" "bundle, data directory and toolsets set"
[ -d "$WORK/bundle-data" ] || die "the bundle's data directory setting was not used"
node -e '
  const count = (f) => JSON.parse(require("fs").readFileSync(f, "utf8")).tools.length;
  process.exit(count(process.argv[2]) > count(process.argv[1]) ? 0 : 1);
' "$WORK/bundle-default.json" "$WORK/bundle-set.json" || die "the bundle's toolsets setting was not used"

say "ok: $(du -h "$DIST/x86_64-unknown-linux-musl/sequentum-mcp" | cut -f1) static binary, npm and bundle run"
