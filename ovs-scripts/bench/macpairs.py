#!/usr/bin/python3
"""Fresh-MAC-pair traffic through a learning bridge (the end-to-end half of `bench.sh controller`).

Two roles on raw AF_PACKET sockets, one per leaf namespace:

  respond --iface eth0
      For every request frame (ethertype 0x88B5) B <- A arriving, send the reply A <- B
      (ethertype 0x88B6). Runs until killed.

  initiate --iface eth0 --duration S [--window W] [--timeout T]
      Pair i uses two MACs never seen before, A_i (sender side) and B_i (responder side). It
      sends B_i <- A_i (unknown destination: the controller floods it, and learns A_i) and waits
      for the reply A_i <- B_i (known destination: the controller installs a flow and forwards it,
      learning B_i). A completed round trip is one fresh MAC pair set up end to end. Keeps W pairs
      in flight; a pair unanswered after T seconds is counted lost and replaced. With --exchanges E
      each pair makes E round trips before it counts (E > 1: the later ones between known MACs, as
      when a pair keeps talking). Prints
      "RESULT pairs_per_s=... completed=... lost=... p50_ms=... p99_ms=...".
"""
import argparse
import os
import select
import socket
import struct
import sys
import time

ETH_REQ = 0x88B5
ETH_REP = 0x88B6
A_BASE = 0x0A0000000000  # locally administered unicast
B_BASE = 0x0E0000000000
MAGIC = b'SYMPHPAIR'


def mac_bytes(v):
    return v.to_bytes(6, 'big')


def frame(dst, src, ethertype, seq):
    payload = MAGIC + struct.pack('!Q', seq)
    f = dst + src + struct.pack('!H', ethertype) + payload
    return f + bytes(max(0, 60 - len(f)))


def open_socket(iface, ethertype):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ethertype))
    s.bind((iface, ethertype))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
    return s


def parse_seq(buf, n):
    if n < 14 + len(MAGIC) + 8 or buf[14:14 + len(MAGIC)] != MAGIC:
        return None
    return struct.unpack_from('!Q', buf, 14 + len(MAGIC))[0]


def respond(args):
    rx = open_socket(args.iface, ETH_REQ)
    tx = rx
    buf = bytearray(2048)
    view = memoryview(buf)
    answered = 0
    while True:
        n = rx.recv_into(buf)
        seq = parse_seq(buf, n)
        if seq is None:
            continue
        # reply: dst = request's src (A_i), src = request's dst (B_i)
        tx.send(bytes(view[6:12]) + bytes(view[0:6]) + struct.pack('!H', ETH_REP) + bytes(view[14:n]))
        answered += 1


def percentile(sorted_vals, p):
    if not sorted_vals:
        return 0.0
    k = max(0, min(len(sorted_vals) - 1, int(-(-p * len(sorted_vals) // 100)) - 1))
    return sorted_vals[k]


def send_request(s, seq):
    s.send(frame(mac_bytes(B_BASE | (seq & 0xFFFFFFFFFF)), mac_bytes(A_BASE | (seq & 0xFFFFFFFFFF)), ETH_REQ, seq))


def initiate(args):
    s = open_socket(args.iface, ETH_REP)
    s.setblocking(False)
    buf = bytearray(2048)
    window = args.window
    timeout = args.timeout
    pending = {}  # seq -> send time
    nxt = 0
    completed = 0
    lost = 0
    lat = []
    warm_end = time.monotonic() + args.warmup
    measuring = False
    t_start = None
    done_at_start = 0
    end = warm_end + args.duration
    poller = select.epoll()
    poller.register(s.fileno(), select.EPOLLIN)
    last_expire = time.monotonic()
    while True:
        now = time.monotonic()
        if not measuring and now >= warm_end:
            measuring = True
            t_start = now
            cpu_start = time.process_time()
            done_at_start = completed
            lost_at_start = lost
            lat = []
        if now >= end:
            break
        while len(pending) < window:
            seq = nxt
            nxt += 1
            pending[seq] = [time.monotonic(), args.exchanges]
            try:
                send_request(s, seq)
            except BlockingIOError:
                del pending[seq]
                break
        poller.poll(0.005)
        while True:
            try:
                n = s.recv_into(buf)
            except BlockingIOError:
                break
            seq = parse_seq(buf, n)
            if seq is None:
                continue
            p = pending.get(seq)
            if p is None:
                continue
            p[1] -= 1
            if p[1] > 0:
                # The same pair talks again: both MACs are known now.
                try:
                    send_request(s, seq)
                except BlockingIOError:
                    pass  # counted lost by the timeout if it never goes
                continue
            t0 = pending.pop(seq)[0]
            completed += 1
            if measuring:
                lat.append(time.monotonic() - t0)
        if now - last_expire > 0.05:
            last_expire = now
            old = [q for q, p in pending.items() if now - p[0] > timeout]
            for q in old:
                del pending[q]
            lost += len(old)
    secs = time.monotonic() - t_start
    cpu = (time.process_time() - cpu_start) / secs * 100
    done = completed - done_at_start
    lat.sort()
    print('RESULT pairs_per_s=%.0f completed=%d lost=%d seconds=%.2f window=%d p50_ms=%.2f p99_ms=%.2f'
          ' initiator_cpu_pct=%.0f'
          % (done / secs, done, lost - lost_at_start, secs, window,
             percentile(lat, 50) * 1e3, percentile(lat, 99) * 1e3, cpu))
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest='role', required=True)
    r = sub.add_parser('respond')
    r.add_argument('--iface', required=True)
    i = sub.add_parser('initiate')
    i.add_argument('--iface', required=True)
    i.add_argument('--duration', type=float, default=10)
    i.add_argument('--warmup', type=float, default=2)
    i.add_argument('--window', type=int, default=32)
    i.add_argument('--timeout', type=float, default=1.0)
    i.add_argument('--exchanges', type=int, default=1, help='round trips per pair (default 1)')
    args = ap.parse_args()
    if args.role == 'respond':
        respond(args)
    else:
        initiate(args)


if __name__ == '__main__':
    main()
