"""密码算法 — the algorithms the ledger seals, wraps and chains with: two suites, one chosen.

`standard` (the default) seals personal data and wraps each person's key with AES-256-GCM
and links the hash chain with SHA-256; `gm` (国密, GOVLEDGER_CRYPTO=gm) does the same with
SM4-GCM (the SM4 block cipher, GB/T 32907, in GCM as RFC 8998 profiles it: 12-byte nonce,
16-byte tag) and SM3 (GB/T 32905). Everything either suite makes says which algorithm made
it — a sealed token by its prefix, a wrapped key by its first byte, a link of the hash chain
by its row's `algorithm` — and is read back by that algorithm whatever the suite is now, so a
ledger switches suites at any moment and keeps opening and verifying what came before.

The algorithms are the `cryptography` package's (its own OpenSSL): AES-256-GCM through its
AEAD class, SM4 through its `Cipher` with the GCM mode (the package has no SM4 AEAD class),
SM3 through its hashes. A 256-bit secret (a person's key, a key-encryption key) is used as it
is by AES-256-GCM; SM4 takes 128 bits, derived from the secret by HKDF over HMAC-SM3 with the
purpose as info, so one person key serves both suites and the two never share key bits.
Before the first SM4 or SM3 use a process checks both against the standards' own vectors.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal, Protocol, get_args

from cryptography.exceptions import InvalidTag, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher as _Cipher
from cryptography.hazmat.primitives.ciphers import algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from infra.settings import ENV, CryptoSuite

NONCE = 12  # bytes, both ciphers
TAG = 16  # bytes, both ciphers
# the variable that chooses the suite (the `Crypto.suite` setting)
SUITE_VARIABLE = next(var for var, where in ENV.items() if where == ("crypto", "suite"))


class AlgorithmUnavailable(RuntimeError):
    """The suite asked for needs an algorithm this process's `cryptography` does not give
    (or gives wrongly: its known-answer check failed)."""


class Cipher(Protocol):
    """An authenticated cipher: what seals personal data and wraps person keys."""

    name: str
    token_prefix: str  # the prefix of a personal-data token it seals
    wrap_tag: int  # the first byte of a person key it wraps

    def keyed(self, secret: bytes, purpose: bytes) -> bytes: ...
    def encrypt(self, key: bytes, nonce: bytes, plain: bytes, aad: bytes) -> bytes: ...
    def decrypt(self, key: bytes, nonce: bytes, sealed: bytes, aad: bytes) -> bytes: ...


class _AesGcm:
    name = "AES-256-GCM"
    token_prefix = "pd1."  # the first token format, unchanged: tokens sealed before still open
    wrap_tag = 1

    def keyed(self, secret: bytes, purpose: bytes) -> bytes:
        return secret  # 256 bits, used as they are (as every token before the suites was sealed)

    def encrypt(self, key: bytes, nonce: bytes, plain: bytes, aad: bytes) -> bytes:
        return AESGCM(key).encrypt(nonce, plain, aad)

    def decrypt(self, key: bytes, nonce: bytes, sealed: bytes, aad: bytes) -> bytes:
        return AESGCM(key).decrypt(nonce, sealed, aad)


class _Sm4Gcm:
    name = "SM4-GCM"
    token_prefix = "pdsm4."
    wrap_tag = 2

    def keyed(self, secret: bytes, purpose: bytes) -> bytes:
        _checked()
        return HKDF(hashes.SM3(), length=16, salt=None, info=b"govledger/sm4-gcm/" + purpose).derive(secret)

    def encrypt(self, key: bytes, nonce: bytes, plain: bytes, aad: bytes) -> bytes:
        encryptor = _Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(aad)
        sealed = encryptor.update(plain) + encryptor.finalize()
        return sealed + encryptor.tag

    def decrypt(self, key: bytes, nonce: bytes, sealed: bytes, aad: bytes) -> bytes:
        if len(sealed) < TAG:
            raise InvalidTag()
        decryptor = _Cipher(algorithms.SM4(key), modes.GCM(nonce, sealed[-TAG:])).decryptor()
        decryptor.authenticate_additional_data(aad)
        # nothing is returned before finalize() has checked the tag
        return decryptor.update(sealed[:-TAG]) + decryptor.finalize()


AES_256_GCM: Cipher = _AesGcm()
SM4_GCM: Cipher = _Sm4Gcm()
CIPHERS: tuple[Cipher, ...] = (AES_256_GCM, SM4_GCM)


def cipher_of_token(token: str) -> Cipher | None:
    """The cipher that sealed a token, by its prefix (the longest that fits)."""
    fitting = [c for c in CIPHERS if token.startswith(c.token_prefix)]
    return max(fitting, key=lambda c: len(c.token_prefix), default=None)


def cipher_of_wrapped(wrapped: bytes) -> Cipher | None:
    """The cipher that wrapped a person key, by its first byte."""
    return next((c for c in CIPHERS if wrapped[:1] == bytes([c.wrap_tag])), None)


# Hash chain links: the algorithm's name, as the chain's `algorithm` column holds it.
Digest = Literal["sha256", "sm3"]
DIGESTS: tuple[str, ...] = get_args(Digest)


def digest(algorithm: str, parts: Iterable[bytes]) -> bytes:
    """The algorithm's 32-byte digest of the parts, one after the other."""
    if algorithm == "sha256":
        sha256 = hashlib.sha256()
        for part in parts:
            sha256.update(part)
        return sha256.digest()
    if algorithm == "sm3":
        _checked()
        sm3 = hashes.Hash(hashes.SM3())
        for part in parts:
            sm3.update(part)
        return sm3.finalize()
    raise ValueError(f"no digest algorithm {algorithm!r}: one of {', '.join(DIGESTS)}")


@dataclass(frozen=True)
class Suite:
    """What one setting of GOVLEDGER_CRYPTO means: the cipher that seals and wraps, the
    digest that links the chain."""

    name: CryptoSuite
    cipher: Cipher
    digest: Digest


SUITES: dict[str, Suite] = {
    "standard": Suite("standard", AES_256_GCM, "sha256"),
    "gm": Suite("gm", SM4_GCM, "sm3"),
}


def suite(name: str) -> Suite:
    """The suite of that name; a gm suite only once its algorithms passed their check."""
    if name not in SUITES:
        raise ValueError(f"{SUITE_VARIABLE}={name!r}: the suites are {', '.join(SUITES)}")
    if name == "gm":
        _checked()
    return SUITES[name]


def configured(env: Mapping[str, str] | None = None) -> Suite:
    """The suite the environment chooses (`standard` when it says nothing). Read where no
    settings reach (the recorder's hash chain), at every use: it costs a dictionary lookup,
    and a process started with GOVLEDGER_CRYPTO=gm chains with SM3 from its first event."""
    return suite((os.environ if env is None else env).get(SUITE_VARIABLE) or "standard")


# Known answers: GB/T 32905-2016 appendix A (SM3, examples 1 and 2), GB/T 32907-2016
# appendix A (SM4, one block), RFC 8998 appendix A.1 (SM4-GCM).
SM3_VECTORS = (
    (b"abc", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"),
    (b"abcd" * 16, "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"),
)
SM4_KEY = bytes.fromhex("0123456789abcdeffedcba9876543210")
SM4_BLOCK = (SM4_KEY, "681edf34d206965e86b3e94f536e4246")  # plaintext, ciphertext under SM4_KEY
SM4_GCM_VECTOR = {
    "nonce": "00001234567800000000abcd",
    "aad": "feedfacedeadbeeffeedfacedeadbeefabaddad2",
    "plain": "aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbbccccccccccccccccdddddddddddddddd"
    "eeeeeeeeeeeeeeeeffffffffffffffffeeeeeeeeeeeeeeeeaaaaaaaaaaaaaaaa",
    "sealed": "17f399f08c67d5ee19d0dc9969c4bb7d5fd46fd3756489069157b282bb200735"
    "d82710ca5c22f0ccfa7cbf93d496ac15a56834cbcf98c397b4024a2691233b8d"
    "83de3541e4c2b58177e065a9bf7b62ec",
}


@functools.cache
def _checked() -> None:
    """SM3, SM4 and SM4-GCM against their known answers, once per process."""
    try:
        for message, expected in SM3_VECTORS:
            sm3 = hashes.Hash(hashes.SM3())
            sm3.update(message)
            if sm3.finalize().hex() != expected:
                raise AlgorithmUnavailable(f"SM3 gives a wrong digest of {message[:8]!r}...")
        block = _Cipher(algorithms.SM4(SM4_KEY), modes.ECB()).encryptor()
        if (block.update(SM4_BLOCK[0]) + block.finalize()).hex() != SM4_BLOCK[1]:
            raise AlgorithmUnavailable("SM4 gives a wrong ciphertext of GB/T 32907's example")
        v = {name: bytes.fromhex(text) for name, text in SM4_GCM_VECTOR.items()}
        if _Sm4Gcm().encrypt(SM4_KEY, v["nonce"], v["plain"], v["aad"]) != v["sealed"]:
            raise AlgorithmUnavailable("SM4-GCM gives a wrong result for RFC 8998's example")
    except UnsupportedAlgorithm as missing:
        raise AlgorithmUnavailable(
            f"{SUITE_VARIABLE}=gm needs SM3 and SM4-GCM, which this process's cryptography"
            f" package does not offer ({missing})"
        ) from missing
