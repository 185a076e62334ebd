"""A Redis server of one test's own, on a free port, that the test may stop, pause and start
again: an outage of the real thing rather than a mock of the client."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import redis


def _free_port() -> int:
    with socket.socket() as sock:  # bound then closed: nothing listens there
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayRedis:
    """`redis-server` on 127.0.0.1 with no persistence: stopping it loses its data, as a
    restart of a cache does; `pause` keeps it, as a partition or a hung server does."""

    def __init__(self, binary: str, folder: Path) -> None:
        self.binary = binary
        self.port = _free_port()
        self.pidfile = folder / f"redis-{self.port}.pid"
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def _client(self, timeout: float = 1.0) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_connect_timeout=timeout,
                                    socket_timeout=timeout)

    def start(self) -> ThrowawayRedis:
        subprocess.run([self.binary, "--bind", "127.0.0.1", "--port", str(self.port),
                        "--save", "", "--appendonly", "no", "--daemonize", "yes",
                        "--pidfile", str(self.pidfile), "--dir", str(self.pidfile.parent)],
                       check=True, stdout=subprocess.DEVNULL)
        for _ in range(100):
            try:
                self._client().ping()
                return self
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server on port {self.port} did not start")

    def stop(self) -> None:
        """Shut the server down (its data is lost) and wait until nothing answers."""
        # The server closes the connection as it exits (or was already down); a paused one
        # takes the shutdown once its pause ends.
        with contextlib.suppress(redis.ConnectionError):
            self._client(timeout=10).shutdown(nosave=True)
        for _ in range(100):
            try:
                self._client(0.2).ping()
            except redis.ConnectionError:
                return
            except redis.TimeoutError:
                pass
            time.sleep(0.05)
        os.kill(int(self.pidfile.read_text()), signal.SIGKILL)  # this test's own server

    def pause(self, milliseconds: int) -> None:
        """Answer no command for `milliseconds`, then go on with every key kept."""
        self._client().execute_command("CLIENT", "PAUSE", milliseconds, "ALL")

    def wait_until_answering(self) -> None:
        self._client(timeout=10).ping()  # a paused server answers once the pause ends

    def keys(self, pattern: str = "*") -> list[str]:
        return sorted(k.decode() for k in self._client().scan_iter(pattern))
