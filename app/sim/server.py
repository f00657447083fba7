"""The simulated provider (OpenAI's and Anthropic's APIs) as a server: on a background thread
(``Simulator``) or blocking.

Both bind the listening socket themselves, so port 0 gives a free port known before the server
starts, and hand it to uvicorn. uvicorn is configured explicitly (asyncio, h11, no websockets, no
lifespan, warnings only, no access log, and ``log_config=None`` so it never reconfigures the
app's logging); the protocol class is passed as a class, so a frozen build needs no dynamic import.

Stopping is prompt even with streams in flight: uvicorn's shutdown first sets the app's
``stopping`` event, which ends paced and stalled responses by cutting their connections, and only
then waits for connections to close.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from collections.abc import Callable
from types import TracebackType

import uvicorn
import uvicorn.lifespan.off  # uvicorn's Config.load imports it by name: keep it visible
from starlette.types import Scope
from uvicorn.protocols.http.h11_impl import H11Protocol

from app.llm.tokens import count_tokens
from app.sim.api import build_app
from app.sim.control import Fault, FaultQueue, SimConfig
from app.sim.state import RecordedRequest, SimState

__all__ = ["Fault", "RecordedRequest", "SimConfig", "Simulator", "serve"]

log = logging.getLogger("stepwise.sim")
START_TIMEOUT_S = 15.0
STOP_TIMEOUT_S = 10.0


class _Server(uvicorn.Server):
    """uvicorn with two hooks: after startup (ready) and before shutdown (end every stream)."""

    def __init__(
        self, config: uvicorn.Config, state: SimState, on_ready: Callable[[], None]
    ) -> None:
        super().__init__(config)
        self._state = state
        self._on_ready = on_ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            self._on_ready()

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self._state.stopping.set()
        await super().shutdown(sockets)

    def cut(self, scope: Scope) -> bool:
        """Close the connection that carries ``scope``'s request; False if it is not found."""
        client = scope.get("client")
        for connection in list(self.server_state.connections):
            transport = getattr(connection, "transport", None)
            if client and getattr(connection, "client", None) == client and transport:
                transport.close()
                return True
        return False


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.create_server((host, port), family=family)
    # create_server leaves the protocol 0, so asyncio never sets TCP_NODELAY on accepted
    # connections: each small write then waits ~40 ms for the client's delayed ACK (Nagle).
    # Accepted sockets inherit it from the listening one.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def base_url(host: str, sock: socket.socket) -> str:
    port = sock.getsockname()[1]
    return f"http://[{host}]:{port}/v1" if ":" in host else f"http://{host}:{port}/v1"


def _make_server(state: SimState, on_ready: Callable[[], None]) -> _Server:
    """Call inside the loop that will run the server: the ``stopping`` event belongs to it."""
    config = uvicorn.Config(
        build_app(state),
        loop="asyncio",
        http=H11Protocol,
        ws="none",
        lifespan="off",
        log_level="warning",
        log_config=None,
        access_log=False,
        proxy_headers=False,
        server_header=False,
        timeout_graceful_shutdown=5,  # a backstop: streams end on ``stopping`` long before
    )
    server = _Server(config, state, on_ready)
    state.stopping = asyncio.Event()
    state.cut = server.cut
    return server


async def _serve_until_stopped(
    state: SimState, sock: socket.socket, on_ready: Callable[[], None]
) -> None:
    await _make_server(state, on_ready).serve(sockets=[sock])


def _warm_up() -> None:
    # Loading the tokenizer takes about a second; pay it before accepting requests, not in the
    # first request's time to first token.
    count_tokens("warm up")


class Simulator:
    """The simulated provider on a daemon thread with its own event loop."""

    def __init__(
        self, config: SimConfig | None = None, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        self.config = config or SimConfig()
        self.host = host
        self.port = port
        self._faults = FaultQueue()
        self._state = SimState(self.config, self._faults)
        # JSON bodies of authenticated generation requests (both APIs), oldest first.
        self.requests = self._state.requests
        # Every request to either generation endpoint, with path, headers and status answered.
        self.recorded = self._state.recorded
        self._thread: threading.Thread | None = None
        self._server: _Server | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._base_url: str | None = None

    @property
    def base_url(self) -> str:
        if self._base_url is None:
            raise RuntimeError("The simulator is not running; call start() first.")
        return self._base_url

    @property
    def rate_limited(self) -> int:
        """How many 429s the generation endpoints have answered (limits and injected faults)."""
        return self._state.rate_limited

    def inject(self, fault: Fault) -> None:
        """Queue a fault for later generation requests, on either API (thread-safe)."""
        self._faults.put(fault)

    def clear_faults(self) -> None:
        self._faults.clear()

    def start(self) -> str:
        if self._thread is not None:
            return self.base_url
        _warm_up()
        sock = bind(self.host, self.port)
        self._ready.clear()
        self._error = None
        self._thread = threading.Thread(
            target=self._serve, args=(sock,), name="stepwise-simulator", daemon=True
        )
        self._thread.start()
        if not self._ready.wait(START_TIMEOUT_S) or self._error is not None:
            self.stop()
            raise RuntimeError(f"The simulator did not start: {self._error or 'timed out'}")
        self._base_url = base_url(self.host, sock)
        return self._base_url

    def _serve(self, sock: socket.socket) -> None:
        try:
            asyncio.run(self._main(sock))
        except BaseException as err:  # reported by start(); a thread has nowhere else to put it
            self._error = err
        finally:
            sock.close()
            self._ready.set()

    async def _main(self, sock: socket.socket) -> None:
        self._server = _make_server(self._state, self._ready.set)
        await self._server.serve(sockets=[sock])

    def stop(self) -> None:
        """Shut down gracefully and join the thread; safe to call twice or before start()."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        if self._server is not None:
            # uvicorn's main loop polls this flag every 0.1 s; its own signal handler sets it
            # the same way, from outside the loop.
            self._server.should_exit = True
        thread.join(STOP_TIMEOUT_S)
        if thread.is_alive():
            log.warning("The simulator thread did not stop within %.0f s", STOP_TIMEOUT_S)
        self._server = None
        self._base_url = None

    def __enter__(self) -> Simulator:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def serve(host: str, port: int, config: SimConfig) -> None:
    """Serve until Ctrl+C (the ``stepwise simulate`` command). OSError if the port is taken."""
    state = SimState(config, FaultQueue(), record=False)  # nobody reads requests here
    try:
        _warm_up()
        with bind(host, port) as sock:
            url = base_url(host, sock)

            def ready() -> None:
                print(f"Stepwise simulator on {url} (simulated)", flush=True)

            asyncio.run(_serve_until_stopped(state, sock, ready))
    except KeyboardInterrupt:
        pass  # uvicorn has already shut down gracefully, then re-raised the signal
