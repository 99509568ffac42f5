"""Drive sequentum-mcp's MCP tasks with an independent client: FastMCP 4 + fastmcp-tasks
(PyPI), which declares the `io.modelcontextprotocol/tasks` extension on 2026-07-28 requests.

Over stdio and Streamable HTTP ("auto" mode, so 2026-07-28): build_agent on the demo shop
through the plain `call_tool` (FastMCP polls a task to the end by itself), then run_agent
through `call_tool_task`, which must come back as a task; its status is polled until the task
completes with run_agent's own result (phase completed), and fetch_records reads the records.
No get_run_status call is made. A second run_agent task is cancelled: the task must end
cancelled (or completed, if the run won the race), and the ack must come back.

fastmcp-tasks 4.1.4 sends no `Mcp-Name` header on tasks/get, tasks/update and tasks/cancel,
which the 2026-07-28 HTTP transport requires (the server answers -32020 "missing required
Mcp-Name header"). Over HTTP its request classes are therefore given the `name_param` the
Python SDK (mcp 2.3.0) already honours, which makes the client send the header; stdio needs no
header and runs the client as published.

usage: tasks_client.py --bin BIN --stdio-data-dir DIR --http URL/mcp
Exits non-zero with a message naming the transport and the step that failed.
"""

import argparse
import asyncio
import json
import re
import sys
import time

from fastmcp import Client
from fastmcp.client.transports import StdioTransport
from fastmcp_tasks import client_models
from fastmcp_tasks.client import call_tool_task

DEADLINE = 300.0


class InteropError(Exception):
    pass


def structured(result, step):
    if result.is_error:
        raise InteropError(f"{step} returned a tool error: {result.content}")
    if not isinstance(result.structured_content, dict):
        raise InteropError(f"{step} returned no structured content")
    return result.structured_content


async def settle(task, step):
    """Polls tasks/get until the task leaves working; returns it and the messages seen."""
    started, messages = time.monotonic(), []
    while True:
        status = await task.status()
        if status.status != "working":
            return status, messages
        messages.append(status.status_message)
        if time.monotonic() - started > DEADLINE:
            raise InteropError(f"{step}: still working after {DEADLINE} s: {messages[-3:]}")
        await asyncio.sleep(min((status.poll_interval_ms or 1000) / 1000, 1.0))


async def drive(label, server):
    """The whole task loop over one connection; returns a summary."""
    async with Client(server, mode="auto") as client:
        match = re.search(r"Demo shop: (\S+)", client.instructions or "")
        if not match:
            raise InteropError("the server instructions name no demo shop")
        prompt = f"Get the name, price and SKU of every product from {match.group(1)}"
        build = structured(await client.call_tool("build_agent", {"prompt": prompt}), "build_agent")
        if build["status"] != "completed" or build.get("agent_id") is None:
            raise InteropError(f"build_agent did not complete: {build}")
        agent_id = build["agent_id"]

        task = await call_tool_task(client, "run_agent", {"agent_id": agent_id})
        created = task.create_result
        if not created.task_id or created.ttl_ms is None:
            raise InteropError(f"run_agent task lacks an id or ttlMs: {created}")
        final, messages = await settle(task, "run_agent task")
        if final.status != "completed":
            raise InteropError(f"run_agent task ended {final.status}: {final}")
        run = structured(await task.result(), "run_agent task result")
        if run["phase"] != "completed" or run["records_extracted"] < 1:
            raise InteropError(f"the task's run did not complete with records: {run}")

        page = structured(
            await client.call_tool(
                "fetch_records", {"agent_id": agent_id, "run_id": run["run_id"], "limit": 50}
            ),
            "fetch_records",
        )
        if not page["records"]:
            raise InteropError(f"fetch_records returned no records: {page}")

        second = await call_tool_task(
            client, "run_agent", {"agent_id": agent_id, "allow_concurrent": True}
        )
        await second.cancel()
        ended, _ = await settle(second, "cancelled run_agent task")
        if ended.status not in ("cancelled", "completed"):
            raise InteropError(f"a cancelled task ended {ended.status}: {ended}")

        return {
            "transport": label,
            "protocol": client.protocol_version,
            "task_id_chars": len(created.task_id),
            "ttl_ms": created.ttl_ms,
            "poll_interval_ms": created.poll_interval_ms,
            "working_messages": messages[:5],
            "run_id": run["run_id"],
            "records": len(page["records"]),
            "cancelled_task": ended.status,
        }


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--stdio-data-dir", required=True)
    parser.add_argument("--http", required=True, help="Streamable HTTP endpoint (…/mcp)")
    args = parser.parse_args()

    summaries = []
    stdio = StdioTransport(command=args.bin, args=["--data-dir", args.stdio_data_dir])
    for label, server in (("stdio", stdio), ("http", args.http)):
        if label == "http":
            for request in ("GetTaskRequest", "UpdateTaskRequest", "CancelTaskRequest"):
                getattr(client_models, request).name_param = "taskId"
        try:
            summaries.append(await drive(label, server))
        except InteropError as error:
            raise InteropError(f"[{label}] {error}") from error
    print(json.dumps(summaries, indent=2))


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except InteropError as error:
        print(f"TASKS CLIENT FAILED: {error}", file=sys.stderr)
        sys.exit(1)
