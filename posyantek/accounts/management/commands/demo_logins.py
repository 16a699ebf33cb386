"""Print the demo logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from posyantek.posts.management.commands.load_demo import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "Print the demo logins loaded by load_demo."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})\n")
        for email, name, _role, _scope in DEMO_USERS:
            self.stdout.write(f"  {email:34} {name}")
        self.stdout.write("")
