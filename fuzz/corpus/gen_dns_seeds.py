#!/usr/bin/env python3
"""Writes the seed corpora for the net_dns_message and net_dns_name fuzz targets.

Run from the repository root: python3 fuzz/corpus/gen_dns_seeds.py
Messages are hand-assembled (RFC 1035 §4.1) so no resolver library is needed.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def name(text):
    out = b""
    for label in text.rstrip(".").split(".") if text != "." else []:
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def header(id_, flags, qd=1, an=0, ns=0, ar=0):
    return struct.pack(">HHHHHH", id_, flags, qd, an, ns, ar)


def question(qname, qtype, qclass=1):
    return name(qname) + struct.pack(">HH", qtype, qclass)


def rr(owner, rtype, rdata, ttl=300, rclass=1):
    owner_bytes = owner if isinstance(owner, bytes) else name(owner)
    return owner_bytes + struct.pack(">HHIH", rtype, rclass, ttl, len(rdata)) + rdata


def opt(size=1232, ext_rcode=0, do=False, options=b""):
    ttl = (ext_rcode << 24) | (0x8000 if do else 0)
    return b"\0" + struct.pack(">HHIH", 41, size, ttl, len(options)) + options


PTR_Q = b"\xc0\x0c"  # pointer to the question name at offset 12

MESSAGES = {
    "query_a": header(1, 0x0100) + question("example.com", 1),
    "query_edns_cookie": header(0x1234, 0x0120, ar=1) + question("example.com", 1)
    + opt(do=True, options=struct.pack(">HH", 10, 8) + bytes(range(8))),
    "query_any_tcp_size": header(2, 0x0100, ar=1) + question("example.org", 255) + opt(size=4096),
    "cname_chain": header(0xabcd, 0x8180, an=2) + question("www.example.com", 1)
    + rr(PTR_Q, 5, b"\x03web\xc0\x10") + rr(b"\xc0\x2d", 1, bytes([192, 0, 2, 1]), ttl=60),
    "nxdomain_soa": header(3, 0x8183, ns=1) + question("nx.example.com", 1)
    + rr(b"\xc0\x0f", 6, b"\x02ns\xc0\x0f\x0ahostmaster\xc0\x0f" + struct.pack(">IIIII", 1, 7200, 3600, 604800, 300)),
    "txt_strings": header(4, 0x8180, an=1) + question("example.com", 16)
    + rr(PTR_Q, 16, b"\x05hello\x05world\x00"),
    "srv": header(5, 0x8180, an=1) + question("_sip._tcp.example.com", 33)
    + rr(PTR_Q, 33, struct.pack(">HHH", 10, 5, 5060) + name("sip.example.com")),
    "caa": header(6, 0x8180, an=1) + question("example.com", 257)
    + rr(PTR_Q, 257, b"\x00\x05issueletsencrypt.org"),
    "naptr": header(7, 0x8180, an=1) + question("example.com", 35)
    + rr(PTR_Q, 35, struct.pack(">HH", 100, 10) + b"\x01S\x07SIP+D2U\x00" + name("_sip._udp.example.com")),
    "unknown_type": header(8, 0x8180, an=1) + question("example.com", 65534)
    + rr(PTR_Q, 65534, b"\x01\x02\x03"),
    "referral_glue": header(9, 0x8000, ns=2, ar=3) + question("www.example.net", 1)
    + rr(b"\xc0\x10", 2, b"\x03ns1\xc0\x10") + rr(b"\xc0\x10", 2, b"\x03ns2\xc0\x10")
    + rr("ns1.example.net", 1, bytes([198, 51, 100, 1]))
    + rr("ns2.example.net", 28, bytes([0x20, 0x01, 0x0d, 0xb8] + [0] * 11 + [2]))
    + opt(),
    "mx_ptr_aaaa": header(10, 0x8580, an=3) + question("example.com", 15)
    + rr(PTR_Q, 15, b"\x00\x0a\x04mail\xc0\x0c")
    + rr("1.2.0.192.in-addr.arpa", 12, b"\x04mail\xc0\x0c")
    + rr(b"\xc0\x29", 28, bytes(15) + b"\x01"),
    "badvers": header(11, 0x8000, ar=1) + question("example.com", 1) + opt(ext_rcode=1),
    "truncated_tc": header(12, 0x8380) + question("big.example.com", 16),
    "legacy_mb_minfo": header(13, 0x8180, an=2) + question("example.com", 7)
    + rr(PTR_Q, 7, PTR_Q) + rr(PTR_Q, 14, b"\x02rm" + PTR_Q + b"\x02em" + PTR_Q),
}

NAMES = {
    "text_simple": b"\x00www.example.com.",
    "text_escapes": b"\x00a\\.b.c\\032d.\\\\.e",
    "text_root": b"\x00.",
    "text_reverse_v4": b"\x0010.2.0.192.in-addr.arpa.",
    "text_reverse_v6": b"\x00" + b".".join(b"1" if i == 0 else b"0" for i in range(32)) + b".ip6.arpa",
    "wire_simple": b"\x01" + name("www.example.com"),
    "wire_pointer": bytes([1 + (13 << 1)]) + name("example.com") + b"\x03www\xc0\x00",
    "wire_loop": b"\x01\x01a\xc0\x00",
    "wire_reserved": b"\x01\x40\x00",
    "wire_long": b"\x01" + (b"\x3f" + b"a" * 63) * 4 + b"\x00",
}


def write(directory, items):
    path = os.path.join(HERE, directory)
    os.makedirs(path, exist_ok=True)
    for key, blob in items.items():
        with open(os.path.join(path, "seed_" + key), "wb") as f:
            f.write(blob)


if __name__ == "__main__":
    write("net_dns_message", MESSAGES)
    write("net_dns_name", NAMES)
