"""Settings for the test suite: fast hasher, in-memory mail, temporary media."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")  # noqa: S105

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="posyantek-test-media-")
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
AXES_FAILURE_LIMIT = 3
LANGUAGE_CODE = "id"
# Tests don't collect static files; let WhiteNoise find them through the finders.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
PAGE_CACHE_ENABLED = False  # tests that need it turn it on
USER_CACHE_SECONDS = 0
SESSION_MEMO_SECONDS = 0
PAGE_CACHE_VERSION_SECONDS = 0  # test transactions never commit, so always read the version
DASHBOARDS_REFRESH_ON_WRITE = False  # dashboards tests turn it on
