"""Drive sequentum-mcp with the official Python MCP SDK (PyPI mcp 2.3.0) over every transport.

Each transport runs the real loop a model would: build_agent on the demo shop (resuming with
session_id until the build completes), run_agent, get_run_status until terminal, then
fetch_records, which must return products with name, price and sku. The demo shop URL comes
from the server's own instructions ("Demo shop: <url>").

usage: client.py --bin BIN --stdio-data-dir DIR --http URL/mcp --sse URL/sse
Exits non-zero with a message naming the transport and the step that failed.
"""

import argparse
import asyncio
import json
import re
import sys
import time

from mcp import Client, ClientSession, StdioServerParameters
from mcp.client.sse import sse_client

# Longest a single tool call may take: tools wait at most 45 s, plus transport margin.
CALL_TIMEOUT = 90.0
# Longest a whole build or run may take before the loop gives up.
LOOP_DEADLINE = 300.0
BUILD_DONE, BUILD_FAILED = {"completed"}, {"failed", "cancelled"}


class InteropError(Exception):
    pass


async def call(session, label, tool, args, progress):
    """Calls a tool; a tool error or a missing structured result is a failure."""

    async def on_progress(value, total, message):
        progress.append(value)

    result = await session.call_tool(
        tool,
        args,
        read_timeout_seconds=CALL_TIMEOUT,
        progress_callback=on_progress,
    )
    if result.is_error:
        text = " ".join(getattr(c, "text", "") for c in result.content)
        raise InteropError(f"[{label}] {tool} returned a tool error: {text}")
    if not isinstance(result.structured_content, dict):
        raise InteropError(f"[{label}] {tool} returned no structured content")
    return result.structured_content


def leaves(error):
    """The underlying errors of an exception group (anyio task groups wrap what failed)."""
    if isinstance(error, BaseExceptionGroup):
        return [leaf for inner in error.exceptions for leaf in leaves(inner)]
    return [error]


def demo_url(instructions, label):
    match = re.search(r"Demo shop: (\S+)", instructions or "")
    if not match:
        raise InteropError(f"[{label}] the server instructions name no demo shop: {instructions!r}")
    return match.group(1)


async def build_run_records(session, instructions, label):
    started = time.monotonic()
    progress = []
    url = demo_url(instructions, label)

    prompt = f"Get the name, price and SKU of every product from {url}"
    build = await call(session, label, "build_agent", {"prompt": prompt, "wait_seconds": 30}, progress)
    while build["status"] not in BUILD_DONE:
        if build["status"] in BUILD_FAILED:
            raise InteropError(f"[{label}] build ended {build['status']}: {build.get('error')}")
        if time.monotonic() - started > LOOP_DEADLINE:
            raise InteropError(f"[{label}] build still {build['status']} after {LOOP_DEADLINE} s")
        args = {"session_id": build["session_id"], "wait_seconds": 30}
        build = await call(session, label, "build_agent", args, progress)
    agent_id = build.get("agent_id")
    if agent_id is None:
        raise InteropError(f"[{label}] completed build has no agent_id: {build}")

    run = await call(session, label, "run_agent", {"agent_id": agent_id, "wait_seconds": 30}, progress)
    while not run["terminal"]:
        if time.monotonic() - started > LOOP_DEADLINE:
            raise InteropError(f"[{label}] run still {run['status']} after {LOOP_DEADLINE} s")
        args = {"agent_id": agent_id, "run_id": run["run_id"], "wait_seconds": 30}
        run = await call(session, label, "get_run_status", args, progress)
    if run["phase"] != "completed":
        raise InteropError(f"[{label}] run ended in phase {run['phase']}: {run.get('message')}")

    args = {"agent_id": agent_id, "run_id": run["run_id"], "limit": 50}
    page = await call(session, label, "fetch_records", args, progress)
    records = page["records"]
    if not records:
        raise InteropError(f"[{label}] fetch_records returned no records: {page}")
    for record in records:
        missing = {"name", "price", "sku"} - set(record)
        if missing:
            raise InteropError(f"[{label}] a record lacks {sorted(missing)}: {json.dumps(record)[:300]}")
    return {
        "agent_id": agent_id,
        "run_id": run["run_id"],
        "records": len(records),
        "progress_notifications": len(progress),
        "seconds": round(time.monotonic() - started, 1),
    }


async def over_client(label, server, mode):
    async with Client(server, mode=mode) as client:
        summary = await build_run_records(client, client.instructions, label)
        return {"protocol": client.protocol_version, **summary}


async def over_legacy_sse(label, url):
    async with sse_client(url) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            summary = await build_run_records(session, init.instructions, label)
            return {"protocol": init.protocol_version, **summary}


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--stdio-data-dir", required=True)
    parser.add_argument("--http", required=True, help="Streamable HTTP endpoint (…/mcp)")
    parser.add_argument("--sse", required=True, help="legacy SSE endpoint (…/sse)")
    args = parser.parse_args()

    stdio = StdioServerParameters(command=args.bin, args=["--data-dir", args.stdio_data_dir])
    runs = [
        ("stdio, auto", over_client("stdio, auto", stdio, "auto")),
        ("http, legacy", over_client("http, legacy", args.http, "legacy")),
        ("http, auto", over_client("http, auto", args.http, "auto")),
        ("legacy sse", over_legacy_sse("legacy sse", args.sse)),
    ]
    failures = 0
    for label, run in runs:
        try:
            summary = await run
            print(f"PASS {label}: {json.dumps(summary)}", flush=True)
        except Exception as error:  # report every transport, then fail
            failures += 1
            for leaf in leaves(error):
                detail = leaf if isinstance(leaf, InteropError) else f"[{label}] {type(leaf).__name__}: {leaf}"
                print(f"FAIL {detail}", flush=True)
    print(f"python sdk summary: {len(runs) - failures} of {len(runs)} transports passed", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
