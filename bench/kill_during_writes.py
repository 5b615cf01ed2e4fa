#!/usr/bin/env python3
"""SIGKILL during heavy writes, then restart: the token store and the activity log stay intact.

Loopback only, bounded (not a CTest test). Each round: start mcpproxy (auth-agent-token plugin), run
authenticated /mcp requests from 4 threads (activity records, token usage stamps) while `mcpproxy
token create` adds tokens from another process, SIGKILL the proxy at a random moment, then check
both SQLite files with PRAGMA integrity_check and that every token created so far still
authenticates after the restart, and that the activity log kept what was committed before the kill.
Usage: bench/kill_during_writes.py --bin build/debug/bin/mcpproxy [--rounds 5]
"""
import argparse
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from auth_bruteforce import read_response  # noqa: E402


def initialize(port, token):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                       "params": {"protocolVersion": "2025-11-25", "capabilities": {},
                                  "clientInfo": {"name": "kill", "version": "1"}}}).encode()
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    try:
        s.sendall((f"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
                   f"Accept: application/json, text/event-stream\r\nAuthorization: Bearer {token}\r\n"
                   f"Connection: close\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body)
        return read_response(s)[0]
    finally:
        s.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="mcpproxy-kill-")
    data = os.path.join(work, "data")
    config = os.path.join(work, "config.json")
    with open(config, "w") as f:
        json.dump({"listen": "127.0.0.1:0", "plugins": ["auth-agent-token"], "log_level": "warn",
                   "rate_limits": {"requests_per_second": 100000, "burst": 100000}}, f)

    def create(name):
        r = subprocess.run([args.bin, "token", "create", "--name", name, "-o", "json",
                            "--data-dir", data], capture_output=True, text=True, timeout=60)
        return json.loads(r.stdout)["token"] if r.returncode == 0 else None

    tokens = {f"seed-{i}": create(f"seed-{i}") for i in range(4)}
    rc = 0
    activity_before = 0
    for round_no in range(args.rounds + 1):  # the last start only checks
        port_file = os.path.join(work, "ports.json")
        if os.path.exists(port_file):
            os.remove(port_file)
        log = open(os.path.join(work, "mcpproxy.log"), "a")
        proxy = subprocess.Popen([args.bin, "serve", "--config", config, "--port-file", port_file,
                                  "--data-dir", data], stdout=log, stderr=log)
        for _ in range(300):
            if os.path.exists(port_file):
                break
            time.sleep(0.05)
        port = int(json.load(open(port_file))["listeners"]["main"].rsplit(":", 1)[1])
        # after a restart every token made so far must work
        bad = [n for n, t in tokens.items() if t and initialize(port, t) != 200]
        if bad:
            print(f"round {round_no}: tokens refused after restart: {bad}")
            rc = 1
        if round_no == args.rounds:
            proxy.send_signal(signal.SIGTERM)
            proxy.wait(15)
            break
        stop = threading.Event()
        sent = [0]

        def load(token):
            while not stop.is_set():
                try:
                    initialize(port, token)
                    sent[0] += 1
                except OSError:
                    pass

        threads = [threading.Thread(target=load, args=(t,)) for t in list(tokens.values())[:4]]
        for t in threads:
            t.start()
        made = 0
        kill_at = time.monotonic() + random.uniform(1.0, 3.0)
        while time.monotonic() < kill_at:
            name = f"r{round_no}-{made}"
            token = create(name)
            if token:
                tokens[name] = token
                made += 1
        os.kill(proxy.pid, signal.SIGKILL)
        proxy.wait()
        stop.set()
        for t in threads:
            t.join()
        checks = {}
        for db in ("tokens.db", "activity.db"):
            path = os.path.join(data, db)
            if os.path.exists(path):
                with sqlite3.connect(path) as c:
                    checks[db] = c.execute("PRAGMA integrity_check").fetchone()[0]
        activity = 0
        try:
            with sqlite3.connect(os.path.join(data, "activity.db")) as c:
                table = c.execute("SELECT name FROM sqlite_master WHERE type='table' AND name LIKE "
                                  "'%activity%'").fetchone()
                if table:
                    activity = c.execute(f"SELECT COUNT(*) FROM {table[0]}").fetchone()[0]
        except sqlite3.Error as e:
            checks["activity rows"] = str(e)
        print(f"round {round_no}: {sent[0]} requests, {made} tokens created, SIGKILL; "
              f"integrity {checks}; activity rows {activity_before} -> {activity}")
        if any(v != "ok" for v in checks.values()) or activity < activity_before:
            rc = 1
        activity_before = activity
    print(f"{len(tokens)} tokens in the store, all checked after the last restart; "
          + ("all intact" if rc == 0 else "FAILED"))
    return rc


if __name__ == "__main__":
    sys.exit(main())
