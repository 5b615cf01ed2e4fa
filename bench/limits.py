#!/usr/bin/env python3
"""Connection and session limits of the real binary, bounded and loopback only (not a CTest test).

Starts mcpproxy with no upstream (anonymous on loopback), then
  1. opens N idle keep-alive connections (each served one GET /healthz first) and measures the
     proxy's RSS growth per idle connection;
  2. opens M MCP sessions (initialize + notifications/initialized, each on its own kept-alive
     connection) and measures RSS growth per session, then makes one tools/list on every session.
Prints a summary table. Usage: bench/limits.py --bin build/release/bin/mcpproxy [--idle 10000]
[--sessions 1000] [--time-limit 240]
"""
import argparse
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def settle_rss(pid, seconds=1.5):
    time.sleep(seconds)
    return rss_kib(pid)


def read_response(sock):
    """Reads one HTTP response with a Content-Length body; returns (status, headers, body)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed before the response head")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed in the body")
        rest += chunk
    return status, headers, rest[:length]


def post(sock, port, body, session=None):
    payload = json.dumps(body).encode()
    head = (f"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            "Accept: application/json, text/event-stream\r\nMCP-Protocol-Version: 2025-11-25\r\n")
    if session:
        head += f"Mcp-Session-Id: {session}\r\n"
    head += f"Content-Length: {len(payload)}\r\n\r\n"
    sock.sendall(head.encode() + payload)
    return read_response(sock)


def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    return s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--idle", type=int, default=10000)
    ap.add_argument("--sessions", type=int, default=1000)
    ap.add_argument("--time-limit", type=int, default=240)
    args = ap.parse_args()
    want_fds = args.idle + args.sessions + 200
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < want_fds:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(want_fds, hard), hard))
    started = time.monotonic()
    work = tempfile.mkdtemp(prefix="mcpproxy-limits-")
    config = {
        "listen": "127.0.0.1:0",
        "limits": {"max_connections": want_fds, "idle_timeout": "600s", "header_timeout": "60s"},
    }
    with open(os.path.join(work, "config.json"), "w") as f:
        json.dump(config, f)
    port_file = os.path.join(work, "ports.json")
    log = open(os.path.join(work, "mcpproxy.log"), "w")
    def start():
        return subprocess.Popen(
            [args.bin, "serve", "--config", os.path.join(work, "config.json"), "--port-file",
             port_file, "--data-dir", os.path.join(work, "data"), "--log-level", "warn"],
            stdout=log, stderr=log, preexec_fn=lambda: resource.setrlimit(
                resource.RLIMIT_NOFILE, (min(want_fds + 100, hard), hard)))

    def wait_port():
        for _ in range(200):
            if os.path.exists(port_file):
                break
            time.sleep(0.05)
        return int(json.load(open(port_file))["listeners"]["main"].rsplit(":", 1)[1])

    def warm_up(port):
        # a few requests first, so that one-off allocations are not counted
        for _ in range(20):
            s = connect(port)
            post(s, port, {"jsonrpc": "2.0", "id": 0, "method": "ping"})
            s.close()

    proxy = start()
    try:
        port = wait_port()
        warm_up(port)
        base = settle_rss(proxy.pid)

        idle = []
        failed_idle = 0
        t0 = time.monotonic()
        for i in range(args.idle):
            if time.monotonic() - started > args.time_limit:
                break
            try:
                s = connect(port)
                s.sendall(f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
                status, _, _ = read_response(s)
                if status != 200:
                    failed_idle += 1
                idle.append(s)
            except OSError:
                failed_idle += 1
        open_time = time.monotonic() - t0
        with_idle = settle_rss(proxy.pid, 3)
        per_idle = (with_idle - base) / max(1, len(idle))
        # still served while they are all open?
        probe = connect(port)
        probe.sendall(f"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        probe_status = read_response(probe)[0]
        probe.close()
        alive_idle = 0
        for s in idle:
            s.setblocking(False)
            try:
                alive_idle += 1 if s.recv(1) else 0
            except BlockingIOError:
                alive_idle += 1
            except OSError:
                pass
        for s in idle:
            s.close()
        after_idle = settle_rss(proxy.pid, 3)
        # A fresh proxy for the sessions, so that memory freed by the closed connections is not
        # reused and hidden from the per-session figure.
        proxy.send_signal(signal.SIGTERM)
        proxy.wait(15)
        os.remove(port_file)
        proxy = start()
        port = wait_port()
        warm_up(port)
        session_base = settle_rss(proxy.pid)

        sessions = []
        failed_sessions = 0
        t0 = time.monotonic()
        for i in range(args.sessions):
            if time.monotonic() - started > args.time_limit:
                break
            try:
                s = connect(port)
                status, headers, body = post(s, port, {
                    "jsonrpc": "2.0", "id": 1, "method": "initialize",
                    "params": {"protocolVersion": "2025-11-25", "capabilities": {},
                               "clientInfo": {"name": f"limits-{i}", "version": "1"}}})
                sid = headers.get("mcp-session-id")
                if status != 200 or not sid:
                    failed_sessions += 1
                    s.close()
                    continue
                st, _, _ = post(s, port, {"jsonrpc": "2.0", "method": "notifications/initialized"}, sid)
                sessions.append((s, sid))
            except OSError:
                failed_sessions += 1
        session_time = time.monotonic() - t0
        with_sessions = settle_rss(proxy.pid, 3)
        per_session = (with_sessions - session_base) / max(1, len(sessions))
        listed = 0
        for s, sid in sessions:
            try:
                st, _, body = post(s, port, {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}, sid)
                if st == 200 and "result" in json.loads(body):
                    listed += 1
            except (OSError, ValueError):
                pass
        for s, _ in sessions:
            s.close()

        print("| measure | value |")
        print("|---|---|")
        print(f"| proxy RSS at start (after warm-up) | {base / 1024:.1f} MiB |")
        print(f"| idle keep-alive connections held | {len(idle)} of {args.idle} ({failed_idle} failed), opened in {open_time:.1f} s |")
        print(f"| still open when checked | {alive_idle} |")
        print(f"| /healthz with all of them open | {probe_status} |")
        print(f"| RSS with them | {with_idle / 1024:.1f} MiB |")
        print(f"| memory per idle connection | {per_idle:.1f} KiB |")
        print(f"| RSS after closing them | {after_idle / 1024:.1f} MiB |")
        print(f"| MCP sessions held | {len(sessions)} of {args.sessions} ({failed_sessions} failed), in {session_time:.1f} s |")
        print(f"| fresh proxy RSS before the sessions | {session_base / 1024:.1f} MiB |")
        print(f"| RSS with them | {with_sessions / 1024:.1f} MiB |")
        print(f"| memory per idle session (session + its connection) | {per_session:.1f} KiB |")
        print(f"| tools/list answered on every session | {listed} of {len(sessions)} |")
        ok = (len(idle) == args.idle and failed_sessions == 0 and listed == len(sessions)
              and probe_status == 200)
        return 0 if ok else 1
    finally:
        proxy.send_signal(signal.SIGTERM)
        try:
            proxy.wait(15)
        except subprocess.TimeoutExpired:
            proxy.kill()


if __name__ == "__main__":
    sys.exit(main())
