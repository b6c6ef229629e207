"""The production configuration: it refuses, saying why, to start without a real
secret, and warns when the rate limits are not shared by the workers."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import config
from config import ConfigurationError, ProductionConfig

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "0123456789abcdef" * 4  # 64 characters, as secrets.token_hex(32) gives


def production(**settings):
    """ProductionConfig as the environment would have set these attributes."""
    settings.setdefault("SECRET_KEY", GOOD_KEY)
    settings.setdefault("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    return type("Configured", (ProductionConfig,), settings)


def test_starts_with_a_real_key_and_redis():
    assert production()().SECRET_KEY == GOOD_KEY


@pytest.mark.parametrize(
    "key, words",
    [
        (config.DEVELOPMENT_SECRET_KEY, "SECRET_KEY is not set"),
        ("short-secret", "SECRET_KEY is too short (12 characters)"),
        ("x" * (config.SECRET_KEY_MIN_LENGTH - 1), "too short"),
    ],
)
def test_refuses_a_missing_or_weak_secret_key(key, words):
    with pytest.raises(ConfigurationError, match=r"APP_ENV=production") as refused:
        production(SECRET_KEY=key)()
    assert words in str(refused.value)


def test_accepts_a_key_of_the_minimum_length():
    production(SECRET_KEY="x" * config.SECRET_KEY_MIN_LENGTH)()


def test_memory_rate_limits_start_with_a_warning(caplog):
    production(RATELIMIT_STORAGE_URI="memory://")()
    assert "REDIS_URL is not set" in caplog.text


def test_no_warning_when_a_single_worker_is_declared(caplog):
    production(RATELIMIT_STORAGE_URI="memory://", RATELIMIT_ALLOW_MEMORY=True)()
    production()()  # with Redis
    assert "REDIS_URL" not in caplog.text


def _config_in_a_new_process(
    environment: dict[str, str],
) -> subprocess.CompletedProcess:
    """config_from_env()() in a fresh interpreter: the classes read the environment
    when config.py is imported."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "REDIS_URL", "RATELIMIT_ALLOW_MEMORY"}
    }
    env.update(environment)
    code = (
        "import config; c = config.config_from_env()(); "
        "print(c.RATELIMIT_STORAGE_URI, c.SESSION_IDLE_TIMEOUT)"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_reads_its_settings_from_the_environment():
    run = _config_in_a_new_process(
        {
            "APP_ENV": "production",
            "SECRET_KEY": GOOD_KEY,
            "REDIS_URL": "redis://127.0.0.1:6390/0",
            "SESSION_IDLE_MINUTES": "30",
        }
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["redis://127.0.0.1:6390/0", "0:30:00"]


def test_production_without_a_secret_key_says_so():
    run = _config_in_a_new_process({"APP_ENV": "production"})
    assert run.returncode != 0
    assert "ConfigurationError" in run.stderr
    assert "SECRET_KEY is not set" in run.stderr


def test_production_starts_with_only_a_secret_key_and_warns():
    run = _config_in_a_new_process({"APP_ENV": "production", "SECRET_KEY": GOOD_KEY})
    assert run.returncode == 0, run.stderr
    assert run.stdout.split()[0] == "memory://"
    assert "REDIS_URL is not set" in run.stderr
