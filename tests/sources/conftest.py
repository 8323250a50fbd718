"""Raw-socket servers on loopback for the hostile-fetch tests: they count every connection."""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
from collections.abc import Callable, Iterator

import pytest

#: What a server does with one accepted connection (the request head has been read).
Handler = Callable[[socket.socket, bytes], None]


def read_head(conn: socket.socket) -> bytes:
    """The request line and headers of one HTTP request ("" when the client sent nothing)."""
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 65536:
        try:
            chunk = conn.recv(4096)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    return data


def request_path(head: bytes) -> str:
    """The path of the request line ``GET /path HTTP/1.1``."""
    parts = head.split(b"\r\n", 1)[0].split()
    return parts[1].decode("ascii", "replace") if len(parts) >= 2 else ""


def http_response(
    status: int = 200, body: bytes = b"", headers: dict[str, str] | None = None
) -> bytes:
    """A whole HTTP/1.1 response that closes the connection."""
    lines = [f"HTTP/1.1 {status} X", f"Content-Length: {len(body)}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class RawServer:
    """A TCP server on one loopback address; ``hits`` counts accepted connections.

    With ``tls`` each connection is wrapped in TLS before the request is read; ``sni`` collects
    the server names the clients sent.
    """

    def __init__(
        self, host: str, handler: Handler, *, port: int = 0, tls: ssl.SSLContext | None = None
    ) -> None:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._sock = socket.socket(family, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, port))
        self._sock.listen(16)
        self._sock.settimeout(0.1)
        self.host = host
        self.port = int(self._sock.getsockname()[1])
        self.hits = 0
        self.paths: list[str] = []
        self._handler = handler
        self._tls = tls
        self.sni: list[str | None] = []
        self.heads: list[bytes] = []
        if tls is not None:
            tls.sni_callback = self._note_sni
        self._stop = threading.Event()
        self._workers: list[threading.Thread] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _note_sni(self, sock: ssl.SSLObject, name: str | None, context: ssl.SSLContext) -> None:
        self.sni.append(name)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.hits += 1
            worker = threading.Thread(target=self._handle, args=(conn,), daemon=True)
            self._workers.append(worker)
            worker.start()

    def _handle(self, conn: socket.socket) -> None:
        conn.settimeout(5.0)
        if self._tls is not None:
            try:
                conn = self._tls.wrap_socket(conn, server_side=True)
            except (OSError, ssl.SSLError):
                conn.close()
                return
        with conn:
            head = read_head(conn)
            self.heads.append(head)
            self.paths.append(request_path(head))
            with contextlib.suppress(OSError):  # the client hung up: expected for cut-offs
                self._handler(conn, head)

    @property
    def stopped(self) -> threading.Event:
        """Set when the server is closing; long-running handlers watch it."""
        return self._stop

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self._sock.close()
        for worker in self._workers:
            worker.join(timeout=5.0)


def routes(table: dict[str, bytes]) -> Handler:
    """A handler answering each path with a fixed response (404 for anything else)."""

    def handle(conn: socket.socket, head: bytes) -> None:
        conn.sendall(table.get(request_path(head), http_response(404, b"no")))

    return handle


@pytest.fixture
def raw_server() -> Iterator[Callable[..., RawServer]]:
    """Start :class:`RawServer` instances that are closed after the test."""
    servers: list[RawServer] = []

    def start(
        host: str, handler: Handler, *, port: int = 0, tls: ssl.SSLContext | None = None
    ) -> RawServer:
        server = RawServer(host, handler, port=port, tls=tls)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()
