#!/usr/bin/python3
"""Hostile datagrams at a tunnel port, from the peer's own address and port.

usage: inject_udp.py IFACE SRC_IP SRC_PORT DST_IP DST_PORT COUNT

Captures one real datagram SRC -> DST leaving on IFACE (a genuine DTLS record),
then sends, spoofing SRC:SRC_PORT with raw IPv4: COUNT replays of it, COUNT
truncated copies, COUNT copies with a flipped ciphertext bit (valid framing, bad
MAC) and COUNT datagrams of garbage. Prints what it sent as key=value.
Run inside the namespace where SRC lives (it needs root for raw sockets).
"""
import os
import socket
import struct
import sys
import time

iface, sip, sport, dip, dport, count = sys.argv[1:7]
sport, dport, count = int(sport), int(dport), int(count)

# ETH_P_ALL: a packet socket bound to one protocol sees only incoming frames,
# and the record we want is outgoing.
cap = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
cap.bind((iface, 0))
cap.settimeout(1)
deadline = time.monotonic() + 15
record = None
while record is None:
    if time.monotonic() > deadline:
        sys.exit("no datagram %s:%d -> %s:%d seen on %s" % (sip, sport, dip, dport, iface))
    try:
        frame = cap.recv(65535)
    except socket.timeout:
        continue
    if frame[12:14] != b"\x08\x00":
        continue
    ip = frame[14:]
    ihl = (ip[0] & 0x0F) * 4
    total = struct.unpack("!H", ip[2:4])[0]
    if ip[9] != 17 or socket.inet_ntoa(ip[12:16]) != sip or socket.inet_ntoa(ip[16:20]) != dip:
        continue
    p_src, p_dst = struct.unpack("!HH", ip[ihl:ihl + 4])
    if p_src == sport and p_dst == dport:
        record = bytes(ip[ihl + 8:total])
cap.close()

raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)


def send(payload):
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0)  # checksum 0: none (IPv4)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp) + len(payload), 0, 0, 64, 17, 0,
                      socket.inet_aton(sip), socket.inet_aton(dip))
    raw.sendto(hdr + udp + payload, (dip, 0))


flipped = bytearray(record)
flipped[-1] ^= 0x01
for _ in range(count):
    send(record)
    send(record[:-5])
    send(bytes(flipped))
    send(b"\x00" + os.urandom(200))
print("replayed=%d truncated=%d badmac=%d garbage=%d record_len=%d" % (count, count, count, count, len(record)))
