"""Settings for the benchmark: the app's own settings plus a hello-world baseline URL."""

from __future__ import annotations

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
