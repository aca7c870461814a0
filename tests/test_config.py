import os
from pathlib import Path

import pytest

from newsfeed.config import ensure_home, load_settings
from newsfeed.errors import ConfigError


def test_defaults_follow_xdg_data_home(tmp_path: Path) -> None:
    settings = load_settings({"XDG_DATA_HOME": str(tmp_path)})
    assert settings.home == tmp_path / "newsfeed"
    assert settings.database_url == f"sqlite:///{tmp_path / 'newsfeed' / 'newsfeed.db'}"
    assert (settings.host, settings.port) == ("127.0.0.1", 8080)


def test_toml_then_environment_win_in_that_order(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('port = 9000\nhost = "0.0.0.0"\n')
    env = {"NEWSFEED_HOME": str(tmp_path), "NEWSFEED_PORT": "9100"}
    settings = load_settings(env)
    assert settings.port == 9100
    assert settings.host == "0.0.0.0"


def test_bad_values_say_which_setting(tmp_path: Path) -> None:
    env = {"NEWSFEED_HOME": str(tmp_path), "NEWSFEED_PORT": "eighty"}
    with pytest.raises(ConfigError, match="port"):
        load_settings(env)
    (tmp_path / "config.toml").write_text("colour = 'blue'\n")
    with pytest.raises(ConfigError, match="unknown setting 'colour'"):
        load_settings({"NEWSFEED_HOME": str(tmp_path)})
    (tmp_path / "config.toml").write_text("port = [\n")
    with pytest.raises(ConfigError, match="cannot read config file"):
        load_settings({"NEWSFEED_HOME": str(tmp_path)})


def test_unwritable_home_is_refused(tmp_path: Path) -> None:
    # /sys refuses new files even to root, so this holds whoever runs the tests.
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    home = Path("/sys") if os.geteuid() == 0 else locked
    settings = load_settings({"NEWSFEED_HOME": str(home)})
    with pytest.raises(ConfigError, match="not writable"):
        ensure_home(settings)


def test_home_under_a_file_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    settings = load_settings({"NEWSFEED_HOME": str(blocker / "home")})
    with pytest.raises(ConfigError, match="NEWSFEED_HOME"):
        ensure_home(settings)
