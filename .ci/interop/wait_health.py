"""Wait until the server's /health answers 200, failing fast if the server process exits.

usage: wait_health.py URL PID [SECONDS]
"""

import os
import sys
import time
import urllib.request


def alive(pid):
    """True while the process runs (an exited but unreaped child counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        try:
            os.kill(pid, 0)
            return True
        except OSError:
            return False


url, pid = sys.argv[1], int(sys.argv[2])
deadline = time.monotonic() + float(sys.argv[3] if len(sys.argv) > 3 else 60)
while time.monotonic() < deadline:
    if not alive(pid):
        sys.exit(f"the server (pid {pid}) exited before {url} answered")
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            if response.status == 200:
                print(f"healthy: {response.read().decode()}")
                sys.exit(0)
    except OSError:
        pass
    time.sleep(0.2)
sys.exit(f"{url} did not answer 200 in time")
