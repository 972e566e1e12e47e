#!/usr/bin/python3
"""Send one UDP broadcast datagram: udp-broadcast.py BROADCAST_ADDR PORT PAYLOAD."""
import socket
import sys

if len(sys.argv) != 4:
    sys.exit(__doc__)
with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    s.sendto(sys.argv[3].encode(), (sys.argv[1], int(sys.argv[2])))
