"""Configuration from the environment (LEDGER_*), and what a database URL means."""
from __future__ import annotations

import getpass
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROLES = ("viewer", "poster", "admin")
SQLITE_FACTORY = "ledger.application.sqlite_factory:StatementCachingSQLiteFactory"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LEDGER_")

    database_url: str = "sqlite:///ledger.db"
    batch_chunk_size: int = 1000
    # A rebuild of at least this many events reads and projects them in a second process.
    rebuild_in_two_processes_from: int = 50_000
    tokens: dict[str, str] = {}  # bearer token -> viewer, poster or admin; none: auth off
    # Seconds a posting or a batch run waits for the entry numbering (held by a batch
    # run, or by a process that stopped while holding it) before it answers BUSY.
    lock_timeout: float = 5.0

    @field_validator("tokens")
    @classmethod
    def known_roles(cls, tokens: dict[str, str]) -> dict[str, str]:
        unknown = sorted({role for role in tokens.values() if role.lower() not in ROLES})
        if unknown:
            raise ValueError(f"unknown roles {unknown}; use {', '.join(ROLES)}")
        return tokens


@dataclass(frozen=True)
class Persistence:
    """Where the event store and the read models live: one database for both."""

    eventsourcing_env: dict[str, str]
    dialect: str
    sqlite_path: str = ""
    postgres_conninfo: str = ""


def persistence(database_url: str, lock_timeout: float = 5.0) -> Persistence:
    """`sqlite:///path` (the path as written after the third slash) or
    `postgresql://[user[:password]@]host[:port]/db`; nothing else."""
    if database_url.startswith("sqlite:///"):
        path = database_url[len("sqlite:///"):]
        if not path:
            raise ValueError("sqlite:/// needs a path")
        return Persistence({"PERSISTENCE_MODULE": SQLITE_FACTORY, "SQLITE_DBNAME": path,
                            "SQLITE_LOCK_TIMEOUT": "30"}, "sqlite", sqlite_path=path)
    parts = urlsplit(database_url)
    if parts.scheme not in ("postgresql", "postgres") or not parts.hostname or len(parts.path) < 2:
        raise ValueError(f"not a database URL this ledger understands: {database_url!r}")
    user = unquote(parts.username) if parts.username else getpass.getuser()
    password = unquote(parts.password) if parts.password else ""
    port = str(parts.port or 5432)
    dbname = parts.path[1:]
    env = {"PERSISTENCE_MODULE": "eventsourcing.postgres", "POSTGRES_DBNAME": dbname,
           "POSTGRES_HOST": parts.hostname, "POSTGRES_PORT": port, "POSTGRES_USER": user,
           "POSTGRES_PASSWORD": password, "POSTGRES_POOL_SIZE": "4",
           "POSTGRES_MAX_OVERFLOW": "4", "POSTGRES_CONNECT_TIMEOUT": "10",
           # the events table's lock, after the numbering's (whole seconds, at least 1)
           "POSTGRES_LOCK_TIMEOUT": str(max(1, round(lock_timeout)))}
    conninfo = f"host={parts.hostname} port={port} dbname={dbname} user={user}"
    if password:
        conninfo += f" password={password}"
    # every lock wait of the read models' connections bounded (the posting queue's too)
    conninfo += f" options='-c lock_timeout={int(lock_timeout * 1000)}'"
    return Persistence(env, "postgresql", postgres_conninfo=conninfo)
