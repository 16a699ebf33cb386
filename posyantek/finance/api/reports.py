"""Reports: a post's balance and realisation, the regional roll-up."""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query

from posyantek.core.api import ERRORS
from posyantek.finance.api.common import (
    region_or_422,
    scoped_post,
)
from posyantek.finance.api.router import router
from posyantek.finance.api.schemas import (
    FinBalanceOut,
    FinBalanceRowOut,
    FinPeriodIn,
    FinRealisationLineOut,
    FinRealisationOut,
    FinRealisationSourceOut,
    FinRollupGroupOut,
    FinRollupIn,
    FinRollupOut,
    FinRollupPostOut,
)
from posyantek.finance.selectors import (
    post_balances,
    realisation,
    rollup,
)

# --- Reports --------------------------------------------------------------------------------------------------


@router.get(
    "/reports/posts/{post_id}/balance", response={200: FinBalanceOut, **ERRORS}, url_name="finance-report-balance"
)
def balance_api(request: HttpRequest, post_id: int) -> Any:
    """A post's balance per cash account: the sum of its entries."""
    post = scoped_post(request, post_id)
    b = post_balances(post)
    rows = [
        FinBalanceRowOut(cash_account_id=r.cash_account.pk, name=r.cash_account.name, balance=r.balance) for r in b.rows
    ]
    return FinBalanceOut(post_id=post.pk, total=b.total, cash_accounts=rows)


@router.get(
    "/reports/posts/{post_id}/realisation",
    response={200: FinRealisationOut, **ERRORS},
    url_name="finance-report-realisation",
)
def realisation_api(request: HttpRequest, post_id: int, period: Query[FinPeriodIn]) -> Any:
    """Pagu vs realisasi of a post for any period (default: this year), per source and account, with alerts."""
    post = scoped_post(request, post_id)
    year = timezone.localdate().year
    start, end = period.start or dt.date(year, 1, 1), period.end or dt.date(year, 12, 31)
    rep = realisation(post, start, end)
    lines = [
        FinRealisationLineOut(
            source=line.source,
            account_id=line.account.pk if line.account else None,
            account_code=line.account.code if line.account else "",
            pagu=line.pagu,
            spent=line.spent,
            absorption=line.absorption,
            planned=line.planned,
            regulation_id=line.regulation.pk if line.regulation else None,
            article_id=line.article.pk if line.article else None,
        )
        for line in rep.lines
    ]
    sources = [
        FinRealisationSourceOut(
            source=s.source,
            pagu=s.pagu,
            income=s.income,
            spent=s.spent,
            absorption=s.absorption,
            regulation_ids=[r.pk for r in s.regulations],
            regulation_based=s.regulation_based,
        )
        for s in rep.sources
    ]
    return FinRealisationOut(
        post_id=post.pk,
        start=rep.start,
        end=rep.end,
        pagu=rep.pagu,
        income=rep.income,
        spent=rep.spent,
        absorption=rep.absorption,
        regulation_based=rep.regulation_based,
        lines=lines,
        sources=sources,
        alerts=rep.alerts,
    )


def _group(g: Any) -> FinRollupGroupOut:
    return FinRollupGroupOut(
        code=g.code,
        name=g.name,
        posts=g.posts,
        with_basis=g.with_basis,
        basis_share=g.basis_share,
        pagu=g.pagu,
        income=g.income,
        spent=g.spent,
        absorption=g.absorption,
    )


@router.get("/reports/rollup", response={200: FinRollupOut, **ERRORS}, url_name="finance-report-rollup")
def rollup_api(request: HttpRequest, params: Query[FinRollupIn]) -> Any:
    """A year's realisation of every post you may see in a region (or the country), by sub-region, with the share
    of posts funded under a regional regulation (Perda, Perwali/Perbup, Pergub)."""
    data = rollup(user=request.user, region=region_or_422(params.region), year=params.year)
    page = data.posts[params.offset : params.offset + params.limit]
    posts = [
        FinRollupPostOut(
            post_id=r.post_id,
            name=r.name,
            region_code=r.region_id,
            pagu=r.pagu,
            income=r.income,
            spent=r.spent,
            absorption=r.absorption,
            regulation_bases=r.bases,
        )
        for r in page
    ]
    return FinRollupOut(
        region_code=params.region,
        year=params.year,
        total=_group(data.total),
        groups=[_group(g) for g in data.groups],
        posts_count=len(data.posts),
        posts=posts,
    )
