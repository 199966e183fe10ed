"""Where this PC keeps its data (per-user directories from platformdirs)."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_config_dir, user_data_dir, user_log_dir

APP_NAME = "ZongzhiWorkbench"
APP_AUTHOR = "Zongzhi"


def data_dir() -> Path:
    return Path(user_data_dir(APP_NAME, APP_AUTHOR))


def config_dir() -> Path:
    return Path(user_config_dir(APP_NAME, APP_AUTHOR))


def log_dir() -> Path:
    """Where the log file goes (Windows: %LOCALAPPDATA%\\Zongzhi\\ZongzhiWorkbench\\Logs)."""
    return Path(user_log_dir(APP_NAME, APP_AUTHOR))


def default_db_path(demo: bool) -> Path:
    return data_dir() / ("demo.db" if demo else "workbench.db")
