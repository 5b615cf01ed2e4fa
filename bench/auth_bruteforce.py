#!/usr/bin/env python3
"""Agent-token brute force against the real binary, loopback only, bounded (not a CTest test).

Phase 1: N wrong (well-formed) tokens from one address over keep-alive connections with the
failed-login limit on (rate_limits.auth_failures_per_minute); counts 401 vs 429 and checks that a
valid token from the same address is refused while blocked.
Phase 2 (limit off): timing of wrong tokens vs tokens sharing a 48-character prefix with the real
one, interleaved at random; a Mann-Whitney U test says whether the two differ (report only).
Usage: bench/auth_bruteforce.py --bin build/release/bin/mcpproxy [--attempts 100000]
"""
import argparse
import json
import math
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time


def read_response(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (l.partition(":") for l in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        rest += chunk
    return int(lines[0].split()[1]), headers


BODY = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                   "params": {"protocolVersion": "2025-11-25", "capabilities": {},
                              "clientInfo": {"name": "brute", "version": "1"}}}).encode()


def request(port, token):
    return (f"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            f"Accept: application/json, text/event-stream\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Length: {len(BODY)}\r\n\r\n").encode() + BODY


class Client:
    def __init__(self, port):
        self.port = port
        self.sock = None

    def send(self, token):
        for _ in range(2):
            try:
                if self.sock is None:
                    self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=10)
                self.sock.sendall(request(self.port, token))
                status, headers = read_response(self.sock)
                if headers.get("connection", "").lower() == "close":
                    self.sock.close()
                    self.sock = None
                return status
            except OSError:
                if self.sock:
                    self.sock.close()
                self.sock = None
        return 0


def start(binary, work, rate_limits):
    port_file = os.path.join(work, "ports.json")
    if os.path.exists(port_file):
        os.remove(port_file)
    config = {"listen": "127.0.0.1:0", "plugins": ["auth-agent-token"], "rate_limits": rate_limits,
              "log_level": "warn"}
    with open(os.path.join(work, "config.json"), "w") as f:
        json.dump(config, f)
    log = open(os.path.join(work, "mcpproxy.log"), "a")
    proxy = subprocess.Popen([binary, "serve", "--config", os.path.join(work, "config.json"),
                              "--port-file", port_file, "--data-dir", os.path.join(work, "data")],
                             stdout=log, stderr=log)
    for _ in range(300):
        if os.path.exists(port_file):
            break
        time.sleep(0.05)
    return proxy, int(json.load(open(port_file))["listeners"]["main"].rsplit(":", 1)[1])


def stop(proxy):
    proxy.send_signal(signal.SIGTERM)
    try:
        proxy.wait(15)
    except subprocess.TimeoutExpired:
        proxy.kill()


def mann_whitney_p(a, b):
    """Two-sided p-value of the Mann-Whitney U test (normal approximation, no tie correction)."""
    ranked = sorted([(v, 0) for v in a] + [(v, 1) for v in b])
    rank_a = sum(i + 1 for i, (_, g) in enumerate(ranked) if g == 0)
    n1, n2 = len(a), len(b)
    u = rank_a - n1 * (n1 + 1) / 2
    mu = n1 * n2 / 2
    sigma = math.sqrt(n1 * n2 * (n1 + n2 + 1) / 12)
    z = (u - mu) / sigma
    return math.erfc(abs(z) / math.sqrt(2)), z


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--attempts", type=int, default=100000)
    ap.add_argument("--timing-samples", type=int, default=3000)
    ap.add_argument("--time-limit", type=int, default=300)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="mcpproxy-brute-")
    created = subprocess.run([args.bin, "token", "create", "--name", "victim", "-o", "json",
                              "--data-dir", os.path.join(work, "data")],
                             capture_output=True, text=True, check=True)
    good = json.loads(created.stdout)["token"]
    rc = 0

    proxy, port = start(args.bin, work, {"auth_failures_per_minute": 60})
    try:
        client = Client(port)
        counts = {}
        t0 = time.monotonic()
        sent = 0
        for _ in range(args.attempts):
            if time.monotonic() - t0 > args.time_limit:
                break
            status = client.send("mcp_agt_" + secrets.token_hex(32))
            counts[status] = counts.get(status, 0) + 1
            sent += 1
        took = time.monotonic() - t0
        valid_status = Client(port).send(good)
        print(f"brute force: {sent} wrong tokens in {took:.1f} s ({sent / took:.0f}/s): "
              + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
        print(f"a valid token from the same address while blocked: {valid_status}")
        # 60/min with a burst of 60: at most the burst plus one per second gets a 401.
        allowed_401 = 60 + math.ceil(took) + 1
        if counts.get(401, 0) > allowed_401 or valid_status != 429:
            print(f"FAIL: more than {allowed_401} answers were 401 or the valid token got through")
            rc = 1
    finally:
        stop(proxy)

    proxy, port = start(args.bin, work, {"auth_failures_per_minute": 0})
    try:
        client = Client(port)
        prefix = good[: len("mcp_agt_") + 40]
        samples = {"random": [], "prefix": []}
        kinds = ["random"] * args.timing_samples + ["prefix"] * args.timing_samples
        random.shuffle(kinds)
        for _ in range(200):  # warm-up
            client.send("mcp_agt_" + secrets.token_hex(32))
        for kind in kinds:
            if kind == "random":
                token = "mcp_agt_" + secrets.token_hex(32)
            else:
                token = prefix + secrets.token_hex(12)
            t = time.perf_counter_ns()
            status = client.send(token)
            samples[kind].append((time.perf_counter_ns() - t) / 1000)
            if status != 401:
                print(f"unexpected status {status}")
                rc = 1
        p, z = mann_whitney_p(samples["random"], samples["prefix"])
        med = {k: sorted(v)[len(v) // 2] for k, v in samples.items()}
        print(f"timing: median wrong {med['random']:.1f} us, median right-prefix {med['prefix']:.1f} us, "
              f"Mann-Whitney z={z:.2f} p={p:.3f} ({args.timing_samples} each) -> "
              + ("no measurable difference" if p > 0.01 else "DIFFERENCE (check)"))
    finally:
        stop(proxy)
    return rc


if __name__ == "__main__":
    sys.exit(main())
