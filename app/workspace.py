"""One open workspace: its store, settings, keys and (in demo mode) the simulator.

This is the service surface the UI and the CLI call. Widgets never touch the network or SQL
themselves: they iterate ``run()`` for pipeline events and call ``save_draft``/``send``.
The demo workspace lives in its own folder, talks only to the in-process simulator, and never
reads or writes the user's real settings or keys.
"""

from __future__ import annotations

import dataclasses
import errno
import logging
from collections.abc import AsyncIterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from app.config import Settings, demo_routes, load_settings, personal, save_settings
from app.instance_lock import InstanceLock
from app.llm.client import LLMClient, is_loopback
from app.llm.errors import ConfigError
from app.llm.providers import client_for
from app.paths import data_root, workspace_dir
from app.pipeline.cache import StepCache
from app.pipeline.events import PipelineEvent
from app.pipeline.runner import Rerun, Runner
from app.pipeline.steps import STEPS, StepSpec
from app.secrets import KeyStore
from app.sim.server import SimConfig, Simulator
from app.store import DiskFull, Store, StoreError, seed_demo
from app.store.errors import translate_os_error
from app.store.models import Customer, Order, Ticket

log = logging.getLogger("stepwise.workspace")

DB_NAME = "stepwise.db"
CONFIG_NAME = "config.json"
LOCAL_KEY = "local"  # sent to keyless local servers


@dataclass(frozen=True)
class TicketContext:
    """What the agent sees beside a ticket: the customer and the orders it mentions or owns."""

    ticket: Ticket
    customer: Customer | None
    orders: list[Order]


class Workspace:
    def __init__(
        self,
        *,
        root: Path,
        store: Store,
        settings: Settings,
        keys: KeyStore | None,
        simulator: Simulator | None = None,
    ) -> None:
        self.root = root
        self.store = store
        self.settings = settings
        self.keys = keys  # None in demo mode: the demo never touches the user's keys
        self.simulator = simulator
        self._clients: dict[str, LLMClient] = {}  # provider profile name → its pooled client
        self._cache = StepCache(settings.cache_ttl_s)  # step outputs shared by runs here
        self._pipeline: Runner | None = None
        self._retired: list[LLMClient] = []  # replaced clients, closed with the workspace
        self._lock: InstanceLock | None = None  # held from open() to aclose() when asked for
        self._prepare_client()

    @classmethod
    def open(
        cls, *, demo: bool, sim_config: SimConfig | None = None, single_instance: bool = False
    ) -> Workspace:
        """Open the real or the demo workspace (raises StoreError in plain words).

        ``single_instance`` (the app and ``stepwise draft``) first takes the workspace's lock,
        released by ``aclose``: a second Stepwise on the same folder gets ``WorkspaceInUse``.
        """
        root = _workspace_root(demo)
        lock = _lock(root) if single_instance else None
        try:
            workspace = cls._open(root, demo, sim_config)
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        workspace._lock = lock
        return workspace

    @classmethod
    def _open(cls, root: Path, demo: bool, sim_config: SimConfig | None) -> Workspace:
        store = Store.open(root / DB_NAME)
        try:
            if not demo:
                settings = load_settings(root / CONFIG_NAME)
                return cls(root=root, store=store, settings=settings, keys=KeyStore())
            if seed_demo(store):
                log.info("Seeded the demo workspace in %s", root)
            simulator = Simulator(sim_config or SimConfig())
            base_url = simulator.start()
        except BaseException:  # e.g. a full disk while seeding: the next open starts clean
            store.close()
            raise
        mine = load_settings(root / CONFIG_NAME)  # the demo keeps only the agent's own choices
        settings = Settings.single(base_url, "demo", routes=demo_routes(), **personal(mine))
        return cls(root=root, store=store, settings=settings, keys=None, simulator=simulator)

    @property
    def demo(self) -> bool:
        return self.simulator is not None

    @property
    def steps(self) -> tuple[StepSpec, ...]:
        return STEPS

    def api_key(self, profile: str | None = None) -> str | None:
        """The key for a provider profile (the default one if None), read when a request needs
        it, from the OS keyring or the simulator; never kept in settings."""
        if self.simulator is not None:
            return self.simulator.config.api_key
        name = profile or self.settings.provider.name
        key = self.keys.get(name) if self.keys else None
        provider = self.settings.providers.get(name)
        host = urlsplit(provider.base_url).hostname if provider else None
        # A server on this computer (Ollama, LM Studio) needs no key, but the client always
        # sends one: any placeholder will do.
        return key or (LOCAL_KEY if host and is_loopback(host) else None)

    def known_keys(self) -> list[str]:
        """The API keys a crash report must not contain, as far as they can be read without a
        keyring prompt (``KeyStore.get_without_prompt``); the simulator's in demo mode."""
        if self.simulator is not None:
            return [self.simulator.config.api_key or ""]
        if self.keys is None:
            return []
        found = (self.keys.get_without_prompt(name) for name in self.settings.providers)
        return [key for key in found if key]

    def context(self, ticket_id: str) -> TicketContext:
        ticket = self.store.ticket(ticket_id)
        customer = self.store.customer(ticket.customer_id) if ticket.customer_id else None
        orders = self.store.orders_for_customer(customer.id) if customer else []
        return TicketContext(ticket=ticket, customer=customer, orders=orders)

    def run(self, ticket_id: str, *, use_cache: bool = True) -> AsyncIterator[PipelineEvent]:
        """Run the steps on a ticket; events arrive as they happen."""
        return self._runner().run(self.store.ticket(ticket_id), use_cache=use_cache)

    def rerun(
        self, run_id: str, from_step: str, model: str | None = None, instruction: str = ""
    ) -> AsyncIterator[PipelineEvent]:
        """Run ``from_step`` again (on ``model``, for this run only; following the agent's
        ``instruction``, if any) and the steps after it; the steps before it keep their answers
        from run ``run_id``."""
        previous = self.store.run(run_id)  # raises NotFound (a StoreError) in plain words
        models = {from_step: model} if model else {}
        rerun = Rerun(run_id, from_step, models, instruction)
        # Asked for again on purpose: the re-run steps call their models, never the cache.
        ticket = self.store.ticket(previous["ticket_id"])
        return self._runner().run(ticket, rerun=rerun, use_cache=False)

    def cancel_step(self, run_id: str, step: str) -> bool:
        """Stop one step of a running run (the steps after it are not run); False if it is not
        running."""
        return self._runner().cancel_step(run_id, step)

    def _runner(self) -> Runner:
        """One runner per settings: it knows the runs in flight, so a step can be stopped."""
        if self._pipeline is None or self._pipeline.settings is not self.settings:
            self._pipeline = Runner(self.store, self.client, self.settings, cache=self._cache)
        return self._pipeline

    def client(self, step: str | None = None) -> LLMClient:
        """The pooled client of the provider ``step`` is routed to (the default provider if
        None); raises ConfigError (plain words) for a bad base URL or provider type."""
        profile = self.settings.provider_for(step) if step else self.settings.provider
        client = self._clients.get(profile.name)
        if client is None:
            client = client_for(profile, lambda: self.api_key(profile.name))
            self._clients[profile.name] = client
        return client

    def _prepare_client(self) -> None:
        """Build the clients now, not at the first run: creating a TLS context takes ~0.1 s,
        which would otherwise stall the window just as the first step starts."""
        for step in self.settings.routes:
            with suppress(ConfigError):  # a bad base URL is reported inside that step
                self.client(step)

    def save_draft(self, ticket_id: str, text: str) -> None:
        self.store.save_draft(ticket_id, text)

    def send(self, ticket_id: str, text: str) -> None:
        """Record the reply the agent chose to send (exactly once per ticket)."""
        self.store.mark_sent(ticket_id, text)

    def update_settings(self, settings: Settings, api_key: str | None = None) -> bool | None:
        """Save settings (never the key); store a new key in the keyring.

        Returns None when no key was given, True when the key is in the OS keyring, and False
        when it is kept for this session only (``keys.problem`` says why).
        """
        if self.demo:  # the simulator's settings are fixed; the agent's own choices are saved
            self.settings = dataclasses.replace(self.settings, **personal(settings))
            save_settings(self.root / CONFIG_NAME, self.settings)
            return None
        self.settings = settings
        save_settings(self.root / CONFIG_NAME, settings)
        profile = settings.provider.name
        stored = self.keys.set(profile, api_key) if (self.keys and api_key) else None
        self._reset_client()
        self._prepare_client()
        return stored

    def _reset_client(self) -> None:
        """Settings changed: the next run gets new clients; a run in flight keeps its own."""
        self._retired.extend(self._clients.values())
        self._clients.clear()

    async def aclose(self) -> None:
        self._reset_client()
        for client in self._retired:
            await client.aclose()
        self._retired.clear()
        if self.simulator is not None:
            self.simulator.stop()
        self.store.close()
        if self._lock is not None:  # last: the next Stepwise may open the store from here on
            self._lock.release()
            self._lock = None


def _workspace_root(demo: bool) -> Path:
    """The workspace's folder, created if missing (raises StoreError when it cannot be)."""
    try:
        return workspace_dir(demo=demo)
    except OSError as err:  # read-only, not a folder, no permission, a full disk
        raise _folder_error(err, data_root()) from err


def _lock(root: Path) -> InstanceLock:
    """The workspace's lock, taken (raises WorkspaceInUse or a StoreError in plain words)."""
    lock = InstanceLock(root)
    try:
        lock.acquire()
    except OSError as err:
        raise _folder_error(err, root) from err
    return lock


def _folder_error(err: OSError, folder: Path) -> StoreError:
    action = f"open the workspace at {folder}"
    if err.errno == errno.ENOSPC:  # the store's own words for SQLITE_FULL
        log.warning("could not %s: %s", action, err)
        return DiskFull(f"Could not {action}: the disk is full. Free some space, then try again.")
    return translate_os_error(err, action)
