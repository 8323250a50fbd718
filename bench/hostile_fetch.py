"""The fetcher against hostile servers on loopback: memory on compression bombs, time on trickles.

    python bench/hostile_fetch.py [--gib 4] [--deadline 5] [--before]

A server process on 127.0.0.1 serves gzip bombs of ``--gib`` GiB decoded (zeros; single layer,
``gzip, gzip`` and ``gzip, deflate`` stacked) and responses trickled one byte per second (the
headers of a page, the body of a page, the headers of robots.txt). Each bomb is fetched by a
fresh client process with the default settings (10 MiB cap) plus ``allow_networks`` for the
loopback server; the client reports its peak resident memory growth over a warmed-up baseline
(``ru_maxrss``) and how long the rejection took. Each trickle is fetched with
``total_timeout = --deadline`` and a read timeout far longer, and the time at which the fetch
was cut is printed.

``--before`` also fetches a smaller stacked bomb (256 MiB) with the code of the commit before
the bounded decoder, for comparison.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
#: The last commit whose fetcher decoded with httpx's decoders and had no overall deadline.
BEFORE_COMMIT = "8e5b349"
ROBOTS = b"User-agent: *\nDisallow:\n"


def _gzip_zeros(size: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1 << 20)
    parts = [packer.compress(block) for _ in range(size >> 20)]
    return b"".join([*parts, packer.flush()])


def _layer(data: bytes, coding: str) -> bytes:
    wbits = 16 + zlib.MAX_WBITS if coding == "gzip" else zlib.MAX_WBITS
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    return packer.compress(data) + packer.flush()


def _response(status: int, body: bytes, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} X", f"Content-Length: {len(body)}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def _serve(sizes: list[int], ready: Any) -> None:
    """Server process: build the bombs, then answer on two ports (routes; all-trickle)."""
    bombs: dict[str, tuple[str, bytes]] = {}
    for size in sizes:
        single = _gzip_zeros(size)
        tag = f"{size >> 20}m"
        bombs[f"/gzip-{tag}"] = ("gzip", single)
        bombs[f"/gzip-gzip-{tag}"] = ("gzip, gzip", _layer(single, "gzip"))
        bombs[f"/gzip-deflate-{tag}"] = ("gzip, deflate", _layer(single, "deflate"))
    small = _layer(b"<p>warm-up page</p>" * 100, "gzip")

    def handle(conn: socket.socket, trickle_all: bool) -> None:
        with conn:
            conn.settimeout(120)
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                head += chunk
            path = head.split(b" ", 2)[1].decode()
            try:
                if trickle_all or path == "/trickle-headers":
                    conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                    for _ in range(600):
                        conn.sendall(b"a")
                        time.sleep(1.0)
                elif path == "/trickle-body":
                    conn.sendall(
                        b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n"
                    )
                    for _ in range(600):
                        conn.sendall(b"a")
                        time.sleep(1.0)
                elif path == "/robots.txt":
                    conn.sendall(_response(200, ROBOTS, {}))
                elif path == "/warm":
                    conn.sendall(_response(200, small, {"Content-Encoding": "gzip"}))
                elif path in bombs:
                    coding, body = bombs[path]
                    conn.sendall(
                        _response(
                            200, body, {"Content-Encoding": coding, "Content-Type": "text/html"}
                        )
                    )
                else:
                    conn.sendall(_response(404, b"", {}))
            except OSError:
                return  # the client hung up, as it should

    listeners = []
    for trickle_all in (False, True):
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        listeners.append((sock, trickle_all))

    def accept(sock: socket.socket, trickle_all: bool) -> None:
        while True:
            conn, _ = sock.accept()
            threading.Thread(target=handle, args=(conn, trickle_all), daemon=True).start()

    for sock, trickle_all in listeners:
        threading.Thread(target=accept, args=(sock, trickle_all), daemon=True).start()
    wire = {path: len(body) for path, (_, body) in bombs.items()}
    ready.send(([sock.getsockname()[1] for sock, _ in listeners], wire))
    threading.Event().wait()


def _client(code_root: str, warm: str, url: str, overrides: dict[str, Any], conn: Any) -> None:
    """Client process: warm up, then fetch ``url`` and report RSS growth, time and outcome."""
    sys.path.insert(0, code_root)
    from nkwatch.errors import FetchError
    from nkwatch.sources.http import Fetcher, FetchSettings

    known = set(FetchSettings.__dataclass_fields__)
    settings = FetchSettings(**{k: v for k, v in overrides.items() if k in known})
    with Fetcher(settings) as fetcher:
        fetcher.fetch(warm)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.monotonic()
        try:
            result = fetcher.fetch(url)
            outcome = f"fetched {len(result.content)} bytes"
        except FetchError as exc:
            outcome = f"{exc.reason.value}: {exc.detail}"
        elapsed = time.monotonic() - started
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    conn.send({"rss_growth_mib": (after - before) / 1024, "seconds": elapsed, "outcome": outcome})


def _run_client(code_root: Path, port: int, url: str, overrides: dict[str, Any]) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    warm = f"http://127.0.0.1:{port}/warm"
    process = context.Process(target=_client, args=(str(code_root), warm, url, overrides, child))
    process.start()
    report: dict[str, Any] = parent.recv()
    process.join()
    return report


def _before_tree() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="nkwatch-before-"))
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", BEFORE_COMMIT, "nkwatch"],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gib", type=float, default=4.0, help="decoded size of the bombs")
    parser.add_argument("--deadline", type=float, default=5.0, help="total_timeout for trickles")
    parser.add_argument("--before", action="store_true", help="also run the previous fetcher")
    args = parser.parse_args()

    size = int(args.gib * (1 << 30))
    sizes = [size] + ([256 << 20] if args.before else [])
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    started = time.monotonic()
    server = context.Process(target=_serve, args=(sizes, child), daemon=True)
    server.start()
    (port, trickle_port), wire = parent.recv()
    print(f"bombs built in {time.monotonic() - started:.1f} s", file=sys.stderr)
    allow = {"allow_networks": ("127.0.0.1/32",), "per_host_delay": 0.0, "max_retries": 0}
    rows: list[dict[str, Any]] = []
    tag = f"{size >> 20}m"
    for coding in ("gzip", "gzip-gzip", "gzip-deflate"):
        path = f"/{coding}-{tag}"
        report = _run_client(ROOT, port, f"http://127.0.0.1:{port}{path}", allow)
        rows.append(
            {"case": f"{coding} bomb, {args.gib:g} GiB decoded", "wire_bytes": wire[path], **report}
        )
    if args.before:
        path = "/gzip-gzip-256m"
        report = _run_client(_before_tree(), port, f"http://127.0.0.1:{port}{path}", allow)
        rows.append(
            {
                "case": f"gzip-gzip bomb, 256 MiB, code of {BEFORE_COMMIT}",
                "wire_bytes": wire[path],
                **report,
            }
        )
    slow = {**allow, "total_timeout": args.deadline, "read_timeout": 600.0}
    for case, url in (
        ("page headers at 1 byte/s", f"http://127.0.0.1:{port}/trickle-headers"),
        ("page body at 1 byte/s", f"http://127.0.0.1:{port}/trickle-body"),
        ("robots.txt headers at 1 byte/s", f"http://127.0.0.1:{trickle_port}/page"),
    ):
        overrides = slow if "robots" in case else {**slow, "respect_robots": False}
        rows.append({"case": case, **_run_client(ROOT, port, url, overrides)})
    server.terminate()
    for row in rows:
        print(json.dumps(row))


if __name__ == "__main__":
    main()
