"""webapp/server.py: a server process gives freed memory back after a request once it holds more than
TRIM_ABOVE_BYTES of it, and keeps it under that."""
from __future__ import annotations

import sys

import pytest

from webapp import server


class FakeGlibc:
    def __init__(self, free: int):
        self.free, self.trims = free, 0

    def info(self):
        return server._MallInfo2(fordblks=self.free)

    def trim(self, pad: int) -> int:
        self.trims += 1
        return 1


@pytest.mark.parametrize("free, trims", [(server.TRIM_ABOVE_BYTES + 1, 1), (server.TRIM_ABOVE_BYTES, 0), (0, 0)])
def test_memory_is_given_back_only_above_the_bound(monkeypatch, free, trims):
    fake = FakeGlibc(free)
    monkeypatch.setattr(server, "_GLIBC", (fake.trim, fake.info))
    server._give_back_memory(None, None, {}, None)
    assert fake.trims == trims


def test_no_glibc_no_trim(monkeypatch):
    monkeypatch.setattr(server, "_GLIBC", None)
    server._give_back_memory(None, None, {}, None)  # (musl, macOS: nothing to call)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc")
def test_glibc_is_found_on_linux_and_trim_runs():
    if server._glibc() is None:
        pytest.skip("not glibc")
    trim, info = server._glibc()
    assert info().arena > 0
    trim(0)


def test_the_server_calls_it_after_each_request(tmp_path):
    app = server.Server(tmp_path, "127.0.0.1", 8000, workers=1, threads=1)
    assert app.cfg.post_request is server._give_back_memory
