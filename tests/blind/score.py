#!/usr/bin/env python3
"""Blind scorer for sequentum-mcp's build_agent (standard library only).

  python3 score.py --bin /path/to/sequentum-mcp [--only NN-kind[,NN-kind]] [--json out.json]
                   [--timeout 90] [--no-phrasings] [--verbose]

Serves each ./sites/<site> at the root of its own http://127.0.0.1:<free port>, starts `<bin> serve` (stdio MCP, embedded
engine in-process, fresh temporary data directory, no API keys), and for each site:
build_agent -> run_agent / get_run_status -> fetch_records (all cursors), then scores the records
against sites/<site>/case.json. Then builds one agent per phrasing in phrasings.json and compares
the built agent's field keys with the expected keys.
"""
import argparse, http.server, json, os, queue, shutil, socketserver, subprocess, sys, tempfile
import threading, time, urllib.parse

# The set scored: this folder by default, or another set's folder (--set tests/blind2).
HERE = os.path.dirname(os.path.abspath(__file__))
for _i, _a in enumerate(sys.argv):
    if _a == "--set" and _i + 1 < len(sys.argv):
        HERE = os.path.abspath(sys.argv[_i + 1])
SITES = os.path.join(HERE, "sites")
PROTOCOL = "2025-06-18"


# ------------------------------------------------------------------ static site servers
def serve_site(site):
    """Serves sites/<site> at the root of its own origin (http://127.0.0.1:<free port>), so
    root-relative links (/owner/repo) resolve the way they do on a real site."""
    root = os.path.join(SITES, site)
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **k):
            super().__init__(*a, directory=root, **k)
        def log_message(self, *a):
            pass
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


# ------------------------------------------------------------------ MCP stdio client
class Timeout(Exception):
    pass

class ToolError(Exception):
    def __init__(self, msg, payload=None):
        super().__init__(msg)
        self.payload = payload

class MCP:
    def __init__(self, binary, data_dir, verbose=False):
        env = {k: v for k, v in os.environ.items()
               if k not in ("SEQUENTUM_API_KEY", "SEQUENTUM_ACCESS_TOKEN", "DECK_API_KEY", "SEQUENTUM_BACKEND",
                            "MCP_TRANSPORT", "SEQUENTUM_MCP_READ_ONLY", "SEQUENTUM_MCP_TOOLSETS")}
        env.update({"SEQUENTUM_MCP_DATA_DIR": data_dir, "SEQUENTUM_MCP_ENGINE_MODE": "in-process",
                    "SEQUENTUM_BACKEND": "local", "SEQUENTUM_MCP_TOOLSETS": "all",
                    "SEQUENTUM_MCP_IGNORE_ROBOTS": "1"})
        self.verbose = verbose
        self.stderr_path = os.path.join(data_dir, "server-stderr.log")
        self.stderr = open(self.stderr_path, "ab")
        self.proc = subprocess.Popen([binary, "serve", "--data-dir", data_dir, "--engine-mode", "in-process",
                                      "--backend", "local", "--toolsets", "all"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr, env=env)
        self.inbox = queue.Queue()
        self.next_id = 0
        self.lock = threading.Lock()
        threading.Thread(target=self._reader, daemon=True).start()

    def _reader(self):
        for line in self.proc.stdout:
            line = line.strip()
            if not line:
                continue
            try:
                msg = json.loads(line)
            except ValueError:
                continue
            if isinstance(msg, dict) and "method" in msg and "id" in msg:
                # a request from the server (roots, sampling, elicitation...): we support none
                self._send({"jsonrpc": "2.0", "id": msg["id"], "error": {"code": -32601, "message": "not supported"}})
                continue
            self.inbox.put(msg)
        self.inbox.put(None)

    def _send(self, msg):
        data = (json.dumps(msg) + "\n").encode()
        with self.lock:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()

    def request(self, method, params, timeout):
        self.next_id += 1
        rid = self.next_id
        self._send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Timeout(f"{method}: no answer within {timeout:.0f} s")
            try:
                msg = self.inbox.get(timeout=left)
            except queue.Empty:
                raise Timeout(f"{method}: no answer within {timeout:.0f} s")
            if msg is None:
                raise ToolError(f"server exited (code {self.proc.poll()}); see {self.stderr_path}")
            if msg.get("id") != rid:
                continue  # notifications (progress, logging) and stale answers
            if "error" in msg:
                raise ToolError(f"{method}: JSON-RPC error {msg['error'].get('code')}: {msg['error'].get('message')}", msg["error"])
            return msg.get("result")

    def notify(self, method, params=None):
        m = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            m["params"] = params
        self._send(m)

    def initialize(self):
        r = self.request("initialize", {"protocolVersion": PROTOCOL, "capabilities": {},
                                        "clientInfo": {"name": "blind-score", "version": "1.0"}}, 30)
        self.notify("notifications/initialized")
        return r

    def call(self, name, args, timeout):
        r = self.request("tools/call", {"name": name, "arguments": args}, timeout)
        sc = r.get("structuredContent")
        if sc is None:
            texts = [c.get("text", "") for c in r.get("content", []) if c.get("type") == "text"]
            try:
                sc = json.loads(texts[0]) if texts else {}
            except ValueError:
                sc = {"text": "\n".join(texts)}
        if self.verbose:
            print(f"    {name} {json.dumps(args)[:160]} -> {json.dumps(sc)[:400]}", file=sys.stderr)
        if r.get("isError"):
            texts = " ".join(c.get("text", "") for c in r.get("content", []) if c.get("type") == "text")
            raise ToolError(f"{name}: {texts or json.dumps(sc)}"[:800], sc)
        return sc

    def close(self):
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.stderr.close()


# ------------------------------------------------------------------ the protocol dance
BUILDING = {"building", "running", "pending", "queued", "queuing", "starting", "working", "in_progress",
            "in-progress", "started", "new", "created"}

class Deadline:
    def __init__(self, seconds):
        self.end = time.monotonic() + seconds
    def left(self):
        return self.end - time.monotonic()
    def wait(self, cap=30):
        """wait_seconds to ask for: at most cap, leaving 5 s of slack for the answer."""
        return max(0, min(cap, int(self.left() - 5)))
    def timeout(self):
        if self.left() <= 1:
            raise Timeout("site time limit reached")
        return self.left()

def build(mcp, prompt, dl, log):
    r = mcp.call("build_agent", {"prompt": prompt, "wait_seconds": dl.wait()}, dl.timeout())
    log.append({"build_agent": r})
    while True:
        if r.get("error"):
            raise ToolError(f"build failed: {r.get('error')}", r)
        status = str(r.get("status", "")).lower()
        if isinstance(r.get("agent_id"), int) and status not in BUILDING:
            if status in ("failed", "failure", "error", "aborted", "cancelled", "canceled", "stopped"):
                raise ToolError(f"build ended {status}", r)
            return r
        if not r.get("session_id"):
            raise ToolError(f"build_agent returned neither an agent nor a session (status {status!r})", r)
        if status in ("failed", "failure", "error", "aborted", "cancelled", "canceled", "stopped"):
            raise ToolError(f"build ended {status}", r)
        if dl.left() < 6:
            raise Timeout("site time limit reached while building")
        pause = r.get("poll_after_seconds") or 0
        if pause and dl.wait() == 0:
            raise Timeout("site time limit reached while building")
        time.sleep(min(pause, 2))
        r = mcp.call("build_agent", {"session_id": r["session_id"], "wait_seconds": dl.wait()}, dl.timeout())
        log.append({"build_agent": r})

def run(mcp, agent_id, dl, log):
    r = mcp.call("run_agent", {"agent_id": agent_id, "wait_seconds": dl.wait()}, dl.timeout())
    log.append({"run_agent": {k: v for k, v in r.items() if k != "preview"}})
    run_id = r.get("run_id")
    while not r.get("terminal"):
        if run_id is None:
            raise ToolError("run_agent returned no run_id", r)
        if dl.left() < 6:
            raise Timeout("site time limit reached while running")
        r = mcp.call("get_run_status", {"agent_id": agent_id, "run_id": run_id, "wait_seconds": dl.wait()}, dl.timeout())
        log.append({"get_run_status": r})
    return run_id, r

def fetch_all(mcp, agent_id, run_id, dl, log):
    records, cursor, pages = [], None, 0
    while True:
        args = {"agent_id": agent_id, "run_id": run_id, "limit": 500, "max_bytes": 262144}
        if cursor:
            args["cursor"] = cursor
        r = mcp.call("fetch_records", args, dl.timeout())
        pages += 1
        records.extend(r.get("records") or [])
        log.append({"fetch_records": {k: v for k, v in r.items() if k != "records"}})
        cursor = r.get("next_cursor")
        if not cursor or pages > 200:
            return records

def agent_fields(mcp, agent_id, dl):
    try:
        r = mcp.call("get_agent", {"agent_id": agent_id}, min(dl.timeout(), 20))
        if isinstance(r.get("fields"), list):
            return [f if isinstance(f, str) else f.get("name") for f in r["fields"]]
    except (ToolError, Timeout):
        pass
    return None


# ------------------------------------------------------------------ scoring
def norm(v):
    if v is None:
        return ""
    if not isinstance(v, str):
        v = json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else str(v)
    return " ".join(v.split()).casefold()

def cell_ok(expected, got, page_url):
    """expected: one value, or a list of accepted values (the first is the canonical one)."""
    if isinstance(expected, list):
        return any(cell_ok(x, got, page_url) for x in expected)
    e = norm(expected)
    g = norm(got)
    if e == g:
        return True
    if e.startswith(("http://", "https://")) and isinstance(got, str) and got.strip():
        return norm(urllib.parse.urljoin(page_url, got.strip())) == e
    return False

def score_site(case, base, records, keys_got):
    """Records are aligned in order: an order-preserving alignment (expected i <-> extracted j,
    both increasing) that maximises the correct cells, so one missing or extra record does not
    shift every later row. The purely positional figure (i <-> i) is kept too."""
    keys = case["keys"]
    page_url = f"{base}/{case['start']}"
    def sub(v):
        return [x.replace("{base}", base) for x in v] if isinstance(v, list) else v.replace("{base}", base)
    expected = [{k: sub(v) for k, v in r.items()} for r in case["records"]]
    total = len(expected) * len(keys)
    def pair(e, g):
        return [k for k in keys if cell_ok(e[k], g.get(k) if isinstance(g, dict) else None, page_url)]
    n, m = len(expected), len(records)
    sc = [[len(pair(expected[i], records[j])) for j in range(m)] for i in range(n)]
    dp = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            dp[i][j] = max(dp[i + 1][j], dp[i][j + 1], sc[i][j] + dp[i + 1][j + 1])
    per_key = {k: 0 for k in keys}
    i = j = 0
    while i < n and j < m:
        if dp[i][j] == sc[i][j] + dp[i + 1][j + 1] and sc[i][j] > 0:
            for k in pair(expected[i], records[j]):
                per_key[k] += 1
            i, j = i + 1, j + 1
        elif dp[i][j] == dp[i + 1][j]:
            i += 1
        else:
            j += 1
    positional = sum(sc[i][i] for i in range(min(n, m)))
    return dp[0][0] if n and m else 0, total, per_key, positional


# ------------------------------------------------------------------ driver
class Session:
    """One MCP server process; restarted after a hang so one site cannot stop the scorer."""
    def __init__(self, binary, verbose):
        self.binary, self.verbose = binary, verbose
        self.tmp = tempfile.mkdtemp(prefix="blind-score-")
        self.mcp = None
        self.starts = 0
    def get(self):
        if self.mcp is None or self.mcp.proc.poll() is not None:
            self.starts += 1
            self.mcp = MCP(self.binary, self.tmp, self.verbose)
            self.mcp.initialize()
        return self.mcp
    def reset(self):
        if self.mcp is not None:
            try:
                self.mcp.proc.kill()
                self.mcp.proc.wait(timeout=10)
            except Exception:
                pass
            self.mcp.stderr.close()
            self.mcp = None
    def close(self, keep):
        if self.mcp is not None:
            self.mcp.close()
        if not keep:
            shutil.rmtree(self.tmp, ignore_errors=True)

def abort(sess, log):
    """Best effort: stop what the timed-out site left behind, then restart the server."""
    sess.reset()

def run_site(sess, site, limit):
    httpd, base = serve_site(site)
    try:
        return _run_site(sess, site, base, limit)
    finally:
        httpd.shutdown()
        httpd.server_close()

def _run_site(sess, site, base, limit):
    case = json.load(open(os.path.join(SITES, site, "case.json"), encoding="utf-8"))
    prompt = case["request"].replace("{base}", base)
    dl = Deadline(limit)
    log = []
    res = {"site": site, "request": prompt, "expected_keys": case["keys"], "expected_records": len(case["records"]),
           "keys": None, "record_keys": None, "records_extracted": 0, "keys_exact": False, "correct": 0,
           "cells": len(case["records"]) * len(case["keys"]), "accuracy": 0.0, "error": None,
           "seconds": None, "log": log, "records": []}
    t0 = time.monotonic()
    try:
        mcp = sess.get()
        b = build(mcp, prompt, dl, log)
        agent_id = b["agent_id"]
        res["agent_id"] = agent_id
        res["sample_records"] = b.get("sample_records")
        fields = agent_fields(mcp, agent_id, dl)
        run_id, status = run(mcp, agent_id, dl, log)
        res["run_status"] = status.get("status")
        records = fetch_all(mcp, agent_id, run_id, dl, log)
        res["records"] = records
        res["records_extracted"] = len(records)
        rk = []
        for r in records:
            for k in r:
                if k not in rk:
                    rk.append(k)
        res["record_keys"] = rk
        res["keys"] = fields if fields is not None else rk
        if not records and str(status.get("status", "")).lower() not in ("completed", "success"):
            res["error"] = f"run ended {status.get('status')}: {status.get('message', '')}"[:400]
    except Timeout as e:
        res["error"] = f"timeout: {e}"
        abort(sess, log)
    except ToolError as e:
        res["error"] = str(e)[:800]
        if isinstance(e.payload, dict) and e.payload.get("narration"):
            res["narration"] = e.payload["narration"][-5:]
    except (OSError, ValueError) as e:
        res["error"] = f"scorer/transport error: {e!r}"
        abort(sess, log)
    res["seconds"] = round(time.monotonic() - t0, 1)
    if res["keys"] is not None:
        res["keys_exact"] = set(res["keys"]) == set(case["keys"])
    if res["records"]:
        c, t, pk, pos = score_site(case, base, res["records"], res["keys"])
        res.update(correct=c, cells=t, accuracy=c / t if t else 0.0, per_key_correct=pk,
                   positional_correct=pos)
    return res

def run_phrasing(sess, prompt, keys, base, limit):
    dl = Deadline(limit)
    out = {"prompt": prompt, "keys": None, "exact": False, "error": None}
    try:
        mcp = sess.get()
        b = build(mcp, prompt.replace("{base}", base), dl, [])
        fields = agent_fields(mcp, b["agent_id"], dl)
        if fields is None:
            s = b.get("sample_records") or []
            fields = list(s[0].keys()) if s and isinstance(s[0], dict) else None
        out["keys"] = fields
        out["exact"] = fields is not None and set(fields) == set(keys)
    except Timeout as e:
        out["error"] = f"timeout: {e}"
        sess.reset()
    except ToolError as e:
        out["error"] = str(e)[:400]
    return out

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--only", help="comma-separated site names (e.g. 02-shop-grid)")
    ap.add_argument("--set", help="folder of the set to score (default: this script's folder)")
    ap.add_argument("--json", help="write details here")
    ap.add_argument("--timeout", type=float, default=90, help="seconds per site and per phrasing (default 90)")
    ap.add_argument("--no-phrasings", action="store_true")
    ap.add_argument("--keep-data", action="store_true", help="keep the temporary data directory")
    ap.add_argument("--verbose", action="store_true", help="print every tool call and result (stderr)")
    a = ap.parse_args()
    binary = os.path.abspath(a.bin)
    if not os.access(binary, os.X_OK):
        sys.exit(f"not executable: {binary}")
    sites = sorted(d for d in os.listdir(SITES) if os.path.isfile(os.path.join(SITES, d, "case.json")))
    if a.only:
        want = [s.strip() for s in a.only.split(",") if s.strip()]
        unknown = [w for w in want if w not in sites]
        if unknown:
            sys.exit(f"unknown site(s): {', '.join(unknown)}; known: {', '.join(sites)}")
        sites = want
    sess = Session(binary, a.verbose)
    results, phr = [], None
    try:
        print(f"each site is served on its own 127.0.0.1 port; data dir {sess.tmp}")
        print(f"{'site':<22} {'keys':>5} {'recs':>9} {'cells':>9} {'acc':>6} {'secs':>5}  note")
        for s in sites:
            r = run_site(sess, s, a.timeout)
            results.append(r)
            note = r["error"] or ("" if r["keys_exact"] else f"keys {r['keys']}")
            print(f"{s:<22} {'yes' if r['keys_exact'] else 'no':>5} {r['records_extracted']:>4}/{r['expected_records']:<4} "
                  f"{r['correct']:>4}/{r['cells']:<4} {r['accuracy']*100:>5.1f}% {r['seconds']:>5}  {note[:150]}", flush=True)
        if not a.no_phrasings and not a.only:
            p = json.load(open(os.path.join(HERE, "phrasings.json"), encoding="utf-8"))
            phr = {"site": p["site"], "keys": p["keys"], "results": []}
            httpd, base = serve_site(p["site"])
            for text in p["phrasings"]:
                o = run_phrasing(sess, text, p["keys"], base, a.timeout)
                phr["results"].append(o)
                print(f"  phrasing {'OK ' if o['exact'] else 'BAD'} {o['keys'] if o['keys'] is not None else o['error']}  <- {text[:70]}", flush=True)
            httpd.shutdown()
            httpd.server_close()
    finally:
        sess.close(a.keep_data)
    cells = sum(r["cells"] for r in results)
    correct = sum(r["correct"] for r in results)
    summary = {"sites": len(results), "mean_field_accuracy": correct / cells if cells else 0.0,
               "correct_cells": correct, "expected_cells": cells,
               "positional_field_accuracy": sum(r.get("positional_correct", 0) for r in results) / cells if cells else 0.0,
               "mean_site_accuracy": sum(r["accuracy"] for r in results) / len(results) if results else 0.0,
               "sites_with_exact_keys": sum(r["keys_exact"] for r in results),
               "failed_sites": sum(1 for r in results if r["error"]), "server_starts": sess.starts}
    if phr is not None:
        summary["phrasings_consistent"] = sum(o["exact"] for o in phr["results"])
        summary["phrasings_total"] = len(phr["results"])
    print()
    print(f"mean field accuracy (all cells): {summary['mean_field_accuracy']*100:.1f}% ({correct}/{cells}); "
          f"mean per-site accuracy {summary['mean_site_accuracy']*100:.1f}%")
    print(f"sites with exact keys: {summary['sites_with_exact_keys']}/{len(results)}; sites with an error: {summary['failed_sites']}")
    if phr is not None:
        print(f"phrasings consistent: {summary['phrasings_consistent']}/{summary['phrasings_total']} (site {phr['site']}, keys {phr['keys']})")
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump({"binary": binary, "summary": summary, "sites": results, "phrasings": phr},
                      f, indent=1, ensure_ascii=False)
        print(f"details: {a.json}")

if __name__ == "__main__":
    main()
