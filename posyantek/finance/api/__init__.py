"""API for the money: regulations, budgets, entries (post and reverse only), closings, grants, assets, reports.

The same selectors, services and scoping as the pages: out of scope → 404, role too low → 403, a broken rule → 422.
Entries have no update or delete: a correction is a reversing entry (POST /entries/{id}/reverse).
"""

from posyantek.finance.api import grants, money, reports  # noqa: F401 - importing registers the endpoints
from posyantek.finance.api.router import router

__all__ = ["router"]
