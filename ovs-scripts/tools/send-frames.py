#!/usr/bin/python3
"""Send raw Ethernet frames out of an interface: send-frames.py IFACE HEX [HEX...].

Each HEX argument is one whole frame (destination MAC first, no FCS). Used by tests and the demo
to inject hostile or hand-made frames (e.g. garbage FRBs) where no socket API would produce them.
"""
import socket
import sys


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    iface = sys.argv[1]
    frames = [bytes.fromhex(h) for h in sys.argv[2:]]
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as s:
        s.bind((iface, 0))
        for f in frames:
            s.send(f)
    print(f"sent {len(frames)} frames on {iface}")


if __name__ == "__main__":
    main()
