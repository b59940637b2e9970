#!/usr/bin/env python3
"""Seed packets for fuzz/corpus/vpn_data_decrypt/ (run from the repository root).

Builds valid OpenVPN data packets (layout: OpenVPN 2.6 crypto.h) for the fixed key block of
fuzz/vpn_data_decrypt.cpp (byte i = i*7 mod 256), client->server direction (key[0]: cipher key
at 0, hmac key and AEAD implicit IV at 64). Each file is: mode byte || packet.
Needs python3-cryptography.
"""
import hashlib
import hmac
import os
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305
from cryptography.hazmat.primitives import padding

BLOCK = bytes((i * 7) & 0xFF for i in range(256))
CIPHER_KEY = BLOCK[0:64]
HMAC_KEY = BLOCK[64:128]
OUT = "fuzz/corpus/vpn_data_decrypt"


def aead(mode, aead_cls, keylen, v2, pid, payload, key_id=0):
    header = bytes([(9 << 3) | key_id, 0, 0, 7]) if v2 else bytes([(6 << 3) | key_id])
    pid_bytes = struct.pack(">I", pid)
    nonce = pid_bytes + HMAC_KEY[:8]
    ad = (header if v2 else b"") + pid_bytes
    sealed = aead_cls(CIPHER_KEY[:keylen]).encrypt(nonce, payload, ad)
    ct, tag = sealed[:-16], sealed[-16:]
    return bytes([mode]) + header + pid_bytes + tag + ct


def cbc(mode, v2, pid, payload, iv):
    header = bytes([(9 << 3), 0, 0, 7]) if v2 else bytes([(6 << 3)])
    padder = padding.PKCS7(128).padder()
    pt = padder.update(struct.pack(">I", pid) + payload) + padder.finalize()
    enc = Cipher(algorithms.AES(CIPHER_KEY[:32]), modes.CBC(iv)).encryptor()
    ct = enc.update(pt) + enc.finalize()
    mac = hmac.new(HMAC_KEY[:20], iv + ct, hashlib.sha1).digest()
    return bytes([mode]) + header + mac + iv + ct


def main():
    os.makedirs(OUT, exist_ok=True)
    ping = bytes.fromhex("2a187bf3641eb4cb07ed2d0a981fc748")
    seeds = {
        "gcm256_v2_ping": aead(0, AESGCM, 32, True, 1, ping),
        "gcm256_v1": aead(0, AESGCM, 32, False, 5, b"\x45\x00\x00\x14" + bytes(16)),
        "chacha_v2": aead(1, ChaCha20Poly1305, 32, True, 2, b"hello data channel"),
        "chacha_v1_empty": aead(1, ChaCha20Poly1305, 32, False, 3, b""),
        "cbc256_sha1_v1": cbc(2, False, 1, ping, bytes(range(16))),
        "cbc256_sha1_v2": cbc(2, True, 9, b"x" * 31, bytes(16)),
        "gcm128_v2": aead(3, AESGCM, 16, True, 1, b"abc"),
        "gcm256_wrong_key_id": aead(0, AESGCM, 32, True, 1, ping, key_id=3),
        "short": bytes([0, 0x48, 0, 0]),
    }
    for name, data in seeds.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
