"""API keys in the OS keyring (Windows Credential Locker, macOS Keychain, Secret Service).

Keys are stored under one stable service name, one entry per provider profile. When no keyring
backend works (a Linux box without a Secret Service), the key is kept in memory for this session
only and ``problem`` says why: we never fall back to a plaintext file.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import keyring

log = logging.getLogger("stepwise.secrets")

SERVICE_NAME = "stepwise"


class KeyStore:
    def __init__(self, service: str = SERVICE_NAME) -> None:
        self.service = service
        self.problem: str | None = None  # set when the OS keyring could not be used
        self._session: dict[str, str] = {}
        self._read: set[str] = set()  # profiles whose key this session read from the keyring

    @property
    def backend_name(self) -> str:
        backend = keyring.get_keyring()
        return f"{type(backend).__module__}.{type(backend).__name__}"

    def get(self, profile: str) -> str | None:
        if profile in self._session:
            return self._session[profile]
        try:
            key = keyring.get_password(self.service, profile)
        except Exception as err:  # backends raise their own types (dbus, OSError, KeyringError)
            self._note_problem(err)
            return None
        if key:
            self._read.add(profile)
        return key

    def get_without_prompt(self, profile: str) -> str | None:
        """The key only if reading it cannot ask the user anything: kept for this session, or
        already read from the keyring once this session (so the keyring is unlocked). For
        scrubbing crash reports, which must not pop up a keyring prompt."""
        if profile in self._session:
            return self._session[profile]
        return self.get(profile) if profile in self._read else None

    def set(self, profile: str, key: str) -> bool:
        """Store the key; True when it is in the OS keyring, False when only in this session."""
        try:
            keyring.set_password(self.service, profile, key)
        except Exception as err:  # see get()
            self._note_problem(err)
            self._session[profile] = key
            return False
        self._session.pop(profile, None)
        self._read.add(profile)
        self.problem = None
        return True

    def delete(self, profile: str) -> None:
        self._session.pop(profile, None)
        try:
            keyring.delete_password(self.service, profile)
        except Exception as err:  # a missing entry is fine; anything else is only logged
            log.info("No keyring entry removed for %s: %s", profile, type(err).__name__)

    def provider(self, profile: str) -> Callable[[], str | None]:
        """A key provider for the LLM client: the key is read when needed, not kept around."""
        return lambda: self.get(profile)

    def _note_problem(self, err: Exception) -> None:
        self.problem = (
            "The system keyring is not available "
            f"({type(err).__name__}), so the API key is kept for this session only."
        )
        log.warning("Keyring unavailable: %s", type(err).__name__)
