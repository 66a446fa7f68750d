"""Who may reach the UI: loopback needs nothing; any other address needs a login, and says so."""
from __future__ import annotations

import ipaddress
from pathlib import Path


class ExposureError(ValueError):
    """A bind address that would expose the UI without a login, or an unusable auth setting."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def read_auth(auth: str | None, auth_file: Path | None) -> list[tuple[str, str]]:
    """`user:password` pairs from --auth and/or an auth file (one pair per line, # comments)."""
    lines = [auth] if auth else []
    if auth_file is not None:
        try:
            lines += [line.strip() for line in auth_file.read_text(encoding="utf-8").splitlines()
                      if line.strip() and not line.lstrip().startswith("#")]
        except OSError as exc:
            raise ExposureError(f"cannot read auth file {auth_file}: {exc.strerror or exc}") from None
    pairs = []
    for number, line in enumerate(lines, 1):
        user, sep, password = line.partition(":")
        if not sep or not user or not password:
            raise ExposureError(f"auth entry {number} is not 'user:password'")
        pairs.append((user, password))
    return pairs


def check_exposure(host: str, credentials: list[tuple[str, str]]) -> str | None:
    """Raise when a non-loopback bind has no login; return a warning to print when it has one."""
    if is_loopback(host):
        return None
    if not credentials:
        raise ExposureError(f"refusing to serve on {host} without a login: anyone who can reach this machine "
                            "could use it. Add --auth USER:PASSWORD or --auth-file FILE, or bind 127.0.0.1")
    return (f"warning: the UI is reachable from other machines on {host}; only the {len(credentials)} "
            "configured login(s) can use it. Put it behind HTTPS if the network is not trusted.")


def edits_allowed(host: str, setting: bool | None) -> bool:
    """Upload and remove documents from the UI: on by default on loopback; beyond it (where a login is always
    required) only when GOVRAG_UI_UPLOADS=true says so; GOVRAG_UI_UPLOADS=false turns them off everywhere."""
    return setting if setting is not None else is_loopback(host)
