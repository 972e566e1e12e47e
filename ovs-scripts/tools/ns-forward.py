#!/usr/bin/python3
"""Forward TCP into a network namespace: ns-forward.py LISTEN_HOST:PORT NETNS TARGET_HOST:PORT.

Listens here (e.g. on the root namespace's loopback, where a browser runs) and connects every
accepted connection to TARGET inside namespace NETNS (a name under /var/run/netns), so a
dashboard served inside a testbed is reachable from the host without a veth into the root
namespace. One process, one thread per direction per connection; stop it by its PID.
"""
import ctypes
import os
import socket
import sys
import threading

CLONE_NEWNET = 0x40000000


def split(addr):
    host, _, port = addr.rpartition(':')
    return host, int(port)


def pump(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def serve(client, target):
    try:
        upstream = socket.create_connection(target, timeout=5)
    except OSError as e:
        print(f'ns-forward: cannot reach {target}: {e}', file=sys.stderr, flush=True)
        client.close()
        return
    upstream.settimeout(None)
    back = threading.Thread(target=pump, args=(upstream, client), daemon=True)
    back.start()
    pump(client, upstream)
    back.join()
    client.close()
    upstream.close()


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    listen, netns, target = split(sys.argv[1]), sys.argv[2], split(sys.argv[3])
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(listen)
    server.listen(64)
    # A socket stays in the namespace it was made in: the listener above is here, every socket made
    # after setns (the upstream connections) is inside NETNS. Threads inherit the caller's namespace.
    fd = os.open(f'/var/run/netns/{netns}', os.O_RDONLY)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.setns(fd, CLONE_NEWNET) != 0:
        sys.exit(f'ns-forward: setns {netns}: {os.strerror(ctypes.get_errno())}')
    os.close(fd)
    print(f'ns-forward: {sys.argv[1]} -> {netns} {sys.argv[3]}', flush=True)
    while True:
        client, _ = server.accept()
        threading.Thread(target=serve, args=(client, target), daemon=True).start()


if __name__ == '__main__':
    main()
