#!/usr/bin/env python3
"""Seed messages for fuzz/corpus/vpn_key_method2/ (run from the repository root).

Each file is: role byte (1 = client message with pre_master, 0 = server message) || a
key-method-2 message laid out as OpenVPN 2.6 ssl.c key_method_2_write writes it.
"""
import os
import struct

OUT = "fuzz/corpus/vpn_key_method2"


def string(s):
    b = s.encode() + b"\0"
    return struct.pack(">H", len(b)) + b


def message(client, options, user=None, password=None, peer_info="", method=2):
    m = struct.pack(">IB", 0, method)
    if client:
        m += bytes(range(0xA0, 0xA0 + 48))
    m += bytes(range(32)) + bytes(range(0x80, 0xA0))
    m += string(options)
    if user is None:
        m += b"\0\0\0\0"
    else:
        m += string(user) + string(password)
    m += string(peer_info) if peer_info else b"\0\0"
    return bytes([1 if client else 0]) + m


def main():
    os.makedirs(OUT, exist_ok=True)
    opts = ("V4,dev-type tun,link-mtu 1541,tun-mtu 1500,proto UDPv4,auth SHA1,keysize 128,"
            "key-method 2,tls-client")
    peer = ("IV_VER=2.6.14\nIV_PLAT=linux\nIV_TCPNL=1\nIV_MTU=1600\nIV_NCP=2\n"
            "IV_CIPHERS=AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305\nIV_PROTO=990\n")
    seeds = {
        "client_openvpn_2_6": message(True, opts, peer_info=peer),
        "client_user_pass": message(True, opts, "alice", "secret", peer),
        "server_reply": message(False, opts.replace("tls-client", "tls-server")),
        "server_truncated_after_options": message(False, "V4")[: 1 + 5 + 64 + 5],
        "client_method_1": message(True, "V4", method=1),
        "client_flags": message(True, "V4", method=0x12),
    }
    for name, data in seeds.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
