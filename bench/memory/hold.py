#!/usr/bin/env python3
# Holds N streamed requests open on the proxy, each after its first chunk, for the given seconds (bench/memory/run).
import socket, sys, time
port=int(sys.argv[1]); n=int(sys.argv[2]); hold=float(sys.argv[3])
body=b'{"model":"bench","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"chunks=2 delay_us=90000000"}]}'
req=(f"POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()+body
socks=[]
for i in range(n):
    s=socket.create_connection(("127.0.0.1",port)); s.sendall(req)
    buf=b''
    while b't=' not in buf:
        d=s.recv(65536)
        if not d: break
        buf+=d
    socks.append(s)
print("open", len(socks), flush=True)
time.sleep(hold)
