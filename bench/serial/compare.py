#!/usr/bin/env python3
"""One user's serial requests against several servers, interleaved round by round (docs/BENCHMARKS.md).

Usage: compare.py ROUNDS GAP_SECONDS NAME=PORT:PATH[:ollama] ...
Each column keeps one connection; every round sleeps GAP_SECONDS, then sends one streamed 10-chunk request to each
column in turn (the order rotates), and reads the whole answer. Ollama-native columns (":ollama") get /api/chat's
body, the others the Anthropic body. Prints p50/p90/p99 milliseconds per column. Start the stand-in
(dev.ccop.bench.StandIn) and the proxies yourself; ROUNDS 3000 with GAP 0 first warms them up.
"""
import socket
import sys
import time

OLLAMA = b'{"model":"bench","stream":true,"messages":[{"role":"user","content":"chunks=10 delay_us=0"}]}'
ANTHROPIC = (b'{"model":"bench","max_tokens":100,"stream":true,'
             b'"messages":[{"role":"user","content":"chunks=10 delay_us=0"}]}')


class Column:
    def __init__(self, port, path, body):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.file = self.sock.makefile("rb")
        self.request = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
                        f"Content-Length: {len(body)}\r\n\r\n").encode() + body

    def one(self):
        begin = time.perf_counter()
        self.sock.sendall(self.request)
        self.file.readline()
        length, chunked = None, False
        while True:
            header = self.file.readline().strip().lower()
            if not header:
                break
            if header.startswith(b"content-length:"):
                length = int(header.split(b":")[1])
            if header.startswith(b"transfer-encoding:") and b"chunked" in header:
                chunked = True
        if chunked:
            while True:
                size = int(self.file.readline().split(b";")[0], 16)
                self.file.read(size)
                self.file.readline()
                if size == 0:
                    break
        else:
            self.file.read(length)
        return (time.perf_counter() - begin) * 1000


def main():
    rounds, gap = int(sys.argv[1]), float(sys.argv[2])
    columns = []
    for spec in sys.argv[3:]:
        name, target = spec.split("=", 1)
        parts = target.split(":")
        body = OLLAMA if len(parts) > 2 and parts[2] == "ollama" else ANTHROPIC
        columns.append((name, Column(int(parts[0]), parts[1], body)))
    times = {name: [] for name, _ in columns}
    for r in range(rounds):
        if gap:
            time.sleep(gap)
        for k in range(len(columns)):
            name, column = columns[(r + k) % len(columns)]
            times[name].append(column.one())
    for name, _ in columns:
        t = sorted(times[name])
        print(f"{name:8s} p50 {t[len(t) // 2]:.3f}  p90 {t[int(len(t) * .9)]:.3f}  p99 {t[int(len(t) * .99)]:.3f} ms")


if __name__ == "__main__":
    main()
