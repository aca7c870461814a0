"""Settings: defaults, then an optional TOML file, then ``NEWSFEED_*`` environment variables.

Later sources win. The TOML file is ``$NEWSFEED_HOME/config.toml`` unless ``NEWSFEED_CONFIG``
names another one; its keys are the field names below (``database_url = "..."``).
"""

from __future__ import annotations

import os
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir

from newsfeed.errors import ConfigError

ENV_PREFIX = "NEWSFEED_"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything newsfeed can be told. Build with ``load_settings()``."""

    home: Path
    database_url: str
    host: str = "127.0.0.1"
    port: int = 8080
    update_interval_seconds: int = 900
    """How often ``serve`` runs an update round in the background."""
    allow_private_addresses: bool = False
    """Let the fetcher reach private and loopback addresses (off: SSRF guard)."""
    broker_url: str | None = None
    user_agent: str | None = None
    secret_key: str | None = None
    """Signs sessions and CSRF tokens; by default a random key kept in the data dir."""
    base_url: str = ""
    """The public address, for links in feeds out; empty: the address of each request."""
    log_level: str = "INFO"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def default_home(env: Mapping[str, str]) -> Path:
    if home := env.get(f"{ENV_PREFIX}HOME"):
        return Path(home).expanduser()
    if xdg := env.get("XDG_DATA_HOME"):
        return Path(xdg).expanduser() / "newsfeed"
    return Path(user_data_dir("newsfeed", appauthor=False))


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read settings from the TOML file and the environment. Raises ``ConfigError``."""
    env = os.environ if env is None else env
    home = default_home(env)
    settings = Settings(home=home, database_url=f"sqlite:///{home / 'newsfeed.db'}")
    config_file = Path(env.get(f"{ENV_PREFIX}CONFIG", home / "config.toml")).expanduser()
    if config_file.is_file():
        settings = _apply(settings, _read_toml(config_file), f"config file {config_file}")
    from_env = {
        f.name: env[ENV_PREFIX + f.name.upper()]
        for f in fields(Settings)
        if f.name != "home" and ENV_PREFIX + f.name.upper() in env
    }
    return _apply(settings, from_env, "environment")


def ensure_home(settings: Settings) -> Path:
    """Create the data dir if needed and check it can be written. Raises ``ConfigError``."""
    home = settings.home
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"cannot create the data dir {home} ({exc.strerror}); "
            f"set NEWSFEED_HOME to a writable folder"
        ) from None
    try:
        # os.access() says yes to root even where the filesystem refuses; try for real.
        with tempfile.TemporaryFile(dir=home):
            pass
    except OSError:
        raise ConfigError(
            f"the data dir {home} is not writable; set NEWSFEED_HOME to a writable folder"
        ) from None
    return home


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from None


def _apply(settings: Settings, values: Mapping[str, Any], origin: str) -> Settings:
    known = {f.name: f for f in fields(Settings)}
    changes: dict[str, Any] = {}
    for name, raw in values.items():
        if name not in known or name == "home":
            raise ConfigError(f"unknown setting {name!r} in {origin}")
        changes[name] = _coerce(name, raw, getattr(settings, name), origin)
    return replace(settings, **changes)


def _coerce(name: str, raw: Any, current: Any, origin: str) -> Any:
    try:
        if isinstance(current, bool):
            return raw if isinstance(raw, bool) else _parse_bool(str(raw))
        if isinstance(current, int):
            return int(raw)
    except ValueError:
        kind = "true or false" if isinstance(current, bool) else "a whole number"
        raise ConfigError(f"setting {name} in {origin} must be {kind}, not {raw!r}") from None
    return str(raw)


def _parse_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError(text)
