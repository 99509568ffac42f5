"""Run the official MCP conformance suite's server scenarios that apply to any server.

The scenarios check the handshake, the tool listing, DNS-rebinding protection and, for the
2026-07-28 revision, the stateless protocol, the HTTP routing headers and the caching hints.
Each runs at the revision(s) it belongs to. A check fails the run unless the suite itself marks
it untestable (it needs one of the suite's own fixture tools, such as test_missing_capability,
which a production server does not have); those are listed so nobody mistakes them for passes.

usage: conformance.py --node NODE22 --cli .../conformance/dist/index.js --url URL/mcp --out DIR
"""

import argparse
import json
import pathlib
import subprocess
import sys

SCENARIOS = [
    ("server-initialize", "2025-11-25"),
    ("tools-list", "2025-11-25"),
    ("dns-rebinding-protection", "2025-11-25"),
    ("tools-list", "2026-07-28"),
    ("dns-rebinding-protection", "2026-07-28"),
    ("server-stateless", "2026-07-28"),
    ("http-header-validation", "2026-07-28"),
    ("caching", "2026-07-28"),
]
SCENARIO_TIMEOUT_S = 120


def run_scenario(args, scenario, version):
    """Returns (passed, failed, untestable, skipped) check lists, or raises with the output.
    Any status other than SUCCESS, WARNING, SKIPPED, INFO or an untestable FAILURE fails."""
    out = pathlib.Path(args.out) / f"{scenario}@{version}"
    command = [
        args.node, args.cli, "server", "--url", args.url,
        "--scenario", scenario, "--spec-version", version, "-o", str(out),
    ]
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=SCENARIO_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"{scenario}@{version}: the suite did not finish in {SCENARIO_TIMEOUT_S} s")
    files = sorted(out.glob("*/checks.json"))
    if not files:
        raise RuntimeError(
            f"{scenario}@{version}: the suite produced no results (exit {proc.returncode})\n"
            f"{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
        )
    passed, failed, untestable, skipped = [], [], [], []
    for check in json.loads(files[-1].read_text()):
        status = check.get("status")
        details = check.get("details") or {}
        if status == "SUCCESS":
            passed.append(check)
        elif status in ("SKIPPED", "INFO"):  # not applicable here (e.g. INFO: no session id)
            skipped.append(check)
        elif status == "FAILURE" and isinstance(details, dict) and details.get("untestable"):
            untestable.append(check)
        elif status == "WARNING":
            passed.append(check)
            print(f"  warning {scenario}@{version} [{check['id']}]: {check.get('errorMessage', '')}")
        else:
            failed.append(check)
    return passed, failed, untestable, skipped


def main():
    parser = argparse.ArgumentParser()
    for name in ("--node", "--cli", "--url", "--out"):
        parser.add_argument(name, required=True)
    args = parser.parse_args()

    rows, any_failed = [], False
    for scenario, version in SCENARIOS:
        try:
            passed, failed, untestable, skipped = run_scenario(args, scenario, version)
        except RuntimeError as error:
            print(f"FAIL {error}")
            rows.append((scenario, version, "ERROR", 0, 0, 0))
            any_failed = True
            continue
        for check in failed:
            detail = json.dumps(check.get("details"))[:800]
            print(f"FAIL {scenario}@{version} [{check['id']}]: {check.get('errorMessage', '')}\n     {detail}")
        for check in untestable:
            print(f"  untestable here {scenario}@{version} [{check['id']}]: {check.get('errorMessage', '')}")
        verdict = "FAILED" if failed else "ok"
        any_failed |= bool(failed)
        rows.append((scenario, version, verdict, len(passed), len(failed), len(untestable) + len(skipped)))

    print("\nconformance results (checks: pass / fail / untestable, skipped or info)")
    for scenario, version, verdict, n_pass, n_fail, n_other in rows:
        print(f"  {verdict:6} {scenario:28} {version}  {n_pass:3} / {n_fail:3} / {n_other:3}")
    return 1 if any_failed else 0


if __name__ == "__main__":
    sys.exit(main())
