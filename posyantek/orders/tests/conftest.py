"""Fixtures of the order tests (defined in factories.py): products of three posts, an agent, an exhibition."""

from posyantek.orders.tests.factories import agent, fair, shop  # noqa: F401
