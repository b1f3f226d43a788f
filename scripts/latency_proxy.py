"""A TCP proxy on loopback that adds network latency (for ``scripts/bench.py``).

The kernel here has no ``netem``, so benchmark 2 puts this between the client
and PostgreSQL: every chunk of bytes is held for half the added round trip in
each direction, then forwarded, in order. Each direction has a queue and a
sender that releases every chunk at its own time (arrival + delay), so
chunks that arrive while an earlier one is held are not delayed twice:
pipelined traffic is delayed, not serialised behind a sleep per chunk.

Threads, not asyncio: an event loop's timers wait in epoll, whose timeout
has a resolution of one millisecond (rounded up), too coarse for a 0.1 ms
hold; ``time.sleep`` waits in nanosleep (the senders ask for no timer slack).
Forwarding itself (a thread hand-off each way, the sleep's wake-up) adds tens
of microseconds per direction on top of the hold, more when the machine is
busy. So the hold can be set apart from the target (``set_hold``: the
benchmark calibrates it until ``SELECT 1`` takes the target longer than
direct), and the proxy records how long it actually held each chunk
(``held_ms``), for the benchmark to print beside its figures.

As a module::

    with LatencyProxy(("127.0.0.1", 5432), round_trip_ms=1.0) as proxy:
        connect(host="127.0.0.1", port=proxy.port)

As a command (until interrupted)::

    python scripts/latency_proxy.py --upstream 127.0.0.1:5432 --round-trip-ms 1
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import ctypes
import multiprocessing
import socket
import statistics
import sys
import threading
import time
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any

CHUNK = 65536
SAMPLES = 200_000  # held times kept per proxy (the newest)
PR_SET_TIMERSLACK = 29

Upstream = tuple[str, int] | str  # (host, port) over TCP, or a Unix socket path


def _nodelay(sock: socket.socket) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _no_timer_slack() -> None:
    """Asks Linux to wake this thread's sleeps on time (the default slack is
    50 us, a quarter of a 0.2 ms round trip); elsewhere, nothing."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_TIMERSLACK, 1, 0, 0, 0)


class _Direction:
    """One direction of one proxied connection: a reader that stamps each
    chunk with its release time (arrival + the hold), and a sender that
    forwards it then. A chunk that arrives while an earlier one is held waits
    only its own hold."""

    def __init__(
        self, proxy: LatencyProxy, src: socket.socket, dst: socket.socket, done: _Done
    ) -> None:
        self.proxy, self.src, self.dst, self.done = proxy, src, dst, done
        self.queue: collections.deque[tuple[float, float, bytes]] = collections.deque()
        self.ready = threading.Condition()

    def start(self) -> None:
        threading.Thread(target=self._read, daemon=True, name="latency-proxy-read").start()
        threading.Thread(target=self._send, daemon=True, name="latency-proxy-send").start()

    def _read(self) -> None:
        while True:
            try:
                data = self.src.recv(CHUNK)
            except OSError:
                data = b""
            arrived = time.monotonic()
            with self.ready:
                self.queue.append((arrived, arrived + self.proxy.hold, data))
                self.ready.notify()
            if not data:
                return

    def _send(self) -> None:
        _no_timer_slack()
        while True:
            with self.ready:
                while not self.queue:
                    self.ready.wait()
                arrived, release, data = self.queue.popleft()
            wait = release - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            if not data:
                self._end()
                return
            try:
                self.dst.sendall(data)
            except OSError:
                self._end()
                return
            self.proxy.held.append(time.monotonic() - arrived)

    def _end(self) -> None:
        with contextlib.suppress(OSError):
            self.dst.shutdown(socket.SHUT_WR)
        self.done.direction_over()


class _Done:
    """Closes a connection's two sockets when both directions are over."""

    def __init__(self, *socks: socket.socket) -> None:
        self.socks, self.left, self.lock = socks, 2, threading.Lock()

    def direction_over(self) -> None:
        with self.lock:
            self.left -= 1
            last = self.left == 0
        if last:
            self.close()

    def close(self) -> None:
        for s in self.socks:
            with contextlib.suppress(OSError):
                s.close()


class LatencyProxy:
    """Forwards 127.0.0.1:<port> (an ephemeral port) to ``upstream``, holding
    every chunk half of ``round_trip_ms`` in each direction."""

    def __init__(self, upstream: Upstream, round_trip_ms: float, host: str = "127.0.0.1") -> None:
        self.upstream, self.round_trip_ms, self.host = upstream, round_trip_ms, host
        self.port = 0
        self.hold = round_trip_ms / 2000  # seconds, each way
        # seconds from a chunk's arrival to its forwarding (deque appends are thread-safe)
        self.held: collections.deque[float] = collections.deque(maxlen=SAMPLES)
        self._listener: socket.socket | None = None
        self._connections: list[_Done] = []
        self._lock = threading.Lock()
        self._stopped = threading.Event()

    def set_hold(self, one_way_ms: float) -> None:
        """Holds each chunk this long from now on (a calibration: the
        forwarding's own delay comes on top)."""
        self.hold = max(one_way_ms, 0.0) / 1000

    def held_ms(self) -> float | None:
        """Median time a chunk spent in the proxy, both ways (ms), since the
        last reset; None before any chunk."""
        samples = list(self.held)
        return 2000 * statistics.median(samples) if samples else None

    def reset_held(self) -> None:
        self.held.clear()

    def start(self) -> int:
        """Starts listening (in a thread of its own); returns the port."""
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, 0))
        listener.listen(64)
        self._listener, self.port = listener, listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True, name="latency-proxy-accept").start()
        return self.port

    def _connect_upstream(self) -> socket.socket:
        if isinstance(self.upstream, str):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(self.upstream)
        else:
            sock = socket.create_connection(self.upstream)
        _nodelay(sock)
        return sock

    def _accept(self) -> None:
        assert self._listener is not None
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # closed by stop()
            try:
                server = self._connect_upstream()
            except OSError:
                client.close()
                continue
            _nodelay(client)
            done = _Done(client, server)
            with self._lock:
                self._connections.append(done)
            _Direction(self, client, server, done).start()
            _Direction(self, server, client, done).start()

    def stop(self) -> None:
        """Stops accepting and closes every proxied connection."""
        self._stopped.set()
        if self._listener is not None:
            with contextlib.suppress(OSError):
                self._listener.close()
        with self._lock:
            connections, self._connections = self._connections, []
        for done in connections:
            done.close()

    def __enter__(self) -> LatencyProxy:
        if not self.port:
            self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def _serve(control: Connection, upstream: Upstream, round_trip_ms: float) -> None:
    """A :class:`LatencyProxy` in this (child) process, driven over ``control``."""
    proxy = LatencyProxy(upstream, round_trip_ms)
    control.send(proxy.start())
    while True:
        command, argument = control.recv()
        if command == "set_hold":
            proxy.set_hold(argument)
            control.send(proxy.hold)
        elif command == "held":
            control.send(proxy.held_ms())
        elif command == "reset":
            proxy.reset_held()
            control.send(None)
        else:  # stop
            proxy.stop()
            control.send(None)
            return


class ProxyProcess:
    """A :class:`LatencyProxy` in a process of its own, so that its forwarding
    threads do not share the benchmark's interpreter lock with the client
    threads (which would lengthen busy clients' round trips beyond the hold).
    The same calls: ``start``, ``set_hold``, ``hold``, ``held_ms``,
    ``reset_held``, ``stop``."""

    def __init__(self, upstream: Upstream, round_trip_ms: float) -> None:
        self.upstream, self.round_trip_ms = upstream, round_trip_ms
        self.port = 0
        self.hold = round_trip_ms / 2000  # seconds, each way
        self._control: Connection | None = None
        self._process: Any = None

    def start(self) -> int:
        context = multiprocessing.get_context("spawn")
        self._control, child = context.Pipe()
        self._process = context.Process(
            target=_serve,
            args=(child, self.upstream, self.round_trip_ms),
            daemon=True,
            name="latency-proxy",
        )
        self._process.start()
        self.port = self._control.recv()
        return self.port

    def _ask(self, command: str, argument: Any = None) -> Any:
        assert self._control is not None, "start() first"
        self._control.send((command, argument))
        return self._control.recv()

    def set_hold(self, one_way_ms: float) -> None:
        self.hold = self._ask("set_hold", one_way_ms)

    def held_ms(self) -> float | None:
        held: float | None = self._ask("held")
        return held

    def reset_held(self) -> None:
        self._ask("reset")

    def stop(self) -> None:
        if self._process is None:
            return
        with contextlib.suppress(OSError, EOFError):
            self._ask("stop")
        self._process.join(5)
        if self._process.is_alive():
            self._process.terminate()
        self._process = None


def parse_upstream(text: str) -> Upstream:
    """host:port, or a Unix socket path (starting with /)."""
    if text.startswith("/"):
        return text
    host, _, port = text.rpartition(":")
    return (host or "127.0.0.1", int(port))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--upstream", required=True, help="host:port or a Unix socket path")
    parser.add_argument("--round-trip-ms", type=float, default=1.0)
    args = parser.parse_args()
    with LatencyProxy(parse_upstream(args.upstream), args.round_trip_ms) as proxy:
        print(
            f"127.0.0.1:{proxy.port} -> {args.upstream}, +{args.round_trip_ms} ms per round trip",
            flush=True,
        )
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
