"""The two suites of algorithms, each checked against the standards' own examples, and sealed
personal data that says which cipher sealed it (so a vault opens it whatever the suite is now)."""

from __future__ import annotations

import pytest
from cryptography.exceptions import InvalidTag

from infra.settings import Settings
from infra.store import ciphers
from infra.store.vault import InMemoryVault, SealBroken

FIELDS = {"name": "人员0001", "id_number": "TEST-ID-000001", "phone": "00000000001"}


def test_sm3_gives_the_digests_of_gb_t_32905s_two_examples() -> None:
    assert ciphers.digest("sm3", [b"abc"]).hex() == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )
    assert ciphers.digest("sm3", [b"abcd" * 16]).hex() == (  # the 512-bit message
        "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
    )
    assert ciphers.digest("sm3", [b"ab", b"c"]) == ciphers.digest("sm3", [b"abc"])  # parts in a row


def test_sha256_stays_the_standard_digest() -> None:
    assert ciphers.digest("sha256", [b"abc"]).hex() == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
    with pytest.raises(ValueError, match="no digest algorithm 'md5'"):
        ciphers.digest("md5", [b"abc"])


def test_sm4_gives_the_ciphertext_of_gb_t_32907s_example() -> None:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    key = bytes.fromhex("0123456789abcdeffedcba9876543210")
    block = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()

    assert (block.update(key) + block.finalize()).hex() == "681edf34d206965e86b3e94f536e4246"


def test_sm4_gcm_gives_rfc_8998s_example_and_refuses_anything_changed() -> None:
    v = {name: bytes.fromhex(text) for name, text in ciphers.SM4_GCM_VECTOR.items()}
    key = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")

    sealed = ciphers.SM4_GCM.encrypt(key, v["nonce"], v["plain"], v["aad"])

    assert sealed[-16:].hex() == "83de3541e4c2b58177e065a9bf7b62ec"  # the tag
    assert sealed[:16].hex() == "17f399f08c67d5ee19d0dc9969c4bb7d"
    assert ciphers.SM4_GCM.decrypt(key, v["nonce"], sealed, v["aad"]) == v["plain"]
    for changed in (sealed[:5] + b"\x00" + sealed[6:], sealed[:-1] + b"\x00"):
        with pytest.raises(InvalidTag):
            ciphers.SM4_GCM.decrypt(key, v["nonce"], changed, v["aad"])
    with pytest.raises(InvalidTag):
        ciphers.SM4_GCM.decrypt(key, v["nonce"], sealed, v["aad"] + b"x")


def test_the_suite_is_standard_unless_govledger_crypto_says_gm() -> None:
    assert Settings.from_env({}).crypto.suite == "standard"
    assert Settings.from_env({"GOVLEDGER_CRYPTO": "gm"}).crypto.suite == "gm"
    assert ciphers.configured({}) == ciphers.SUITES["standard"]
    standard, gm = ciphers.configured({}), ciphers.configured({"GOVLEDGER_CRYPTO": "gm"})

    assert (standard.cipher.name, standard.digest) == ("AES-256-GCM", "sha256")
    assert (gm.cipher.name, gm.digest) == ("SM4-GCM", "sm3")
    with pytest.raises(ValueError, match="GOVLEDGER_CRYPTO='sm'"):
        ciphers.configured({"GOVLEDGER_CRYPTO": "sm"})


@pytest.mark.parametrize(("suite", "prefix"), [("standard", "pd1."), ("gm", "pdsm4.")])
def test_a_token_names_the_cipher_that_sealed_it(suite: str, prefix: str) -> None:
    vault = InMemoryVault(suite)

    token = vault.seal("P1", FIELDS)

    assert token.startswith(prefix) and ciphers.cipher_of_token(token) is ciphers.SUITES[suite].cipher
    assert not any(value in token for value in FIELDS.values())
    assert vault.open("P1", token) == FIELDS


def test_a_vault_switched_to_the_other_suite_opens_what_it_sealed_before() -> None:
    vault = InMemoryVault("standard")
    before = vault.seal("P1", FIELDS)
    vault.suite_name = "gm"  # as a restart with GOVLEDGER_CRYPTO=gm would
    after = vault.seal("P1", FIELDS)

    assert (before[:4], after[:6]) == ("pd1.", "pdsm4.")
    assert vault.open("P1", before) == vault.open("P1", after) == FIELDS
    vault.suite_name = "standard"
    assert vault.open("P1", after) == FIELDS


@pytest.mark.parametrize("suite", ["standard", "gm"])
def test_a_token_altered_or_read_for_another_person_does_not_open(suite: str) -> None:
    vault = InMemoryVault(suite)
    token = vault.seal("P1", FIELDS)
    vault.seal("P2", FIELDS)

    with pytest.raises(SealBroken):
        vault.open("P2", token)
    with pytest.raises(SealBroken):
        vault.open("P1", token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))
    with pytest.raises(SealBroken):  # an SM4 token passed off as an AES one, and back
        other = "pd1." if token.startswith("pdsm4.") else "pdsm4."
        vault.open("P1", other + token.split(".", 1)[1])
