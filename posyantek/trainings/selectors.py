"""Reads of Bintek: scoped lists, the "what came of it" summary, and the public certificate check."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet

from posyantek.trainings.models import Attendance, Bintek, FollowUp, Outcome, Participant


def bintek_list(*, user: Any, action: str = "view") -> QuerySet[Bintek]:
    """Return the Bintek the user may see, with the counts the list shows."""
    return (
        Bintek.objects.for_user(user, action)
        .select_related("post", "region", "ttg")
        .annotate(
            n_participants=Count("participants", distinct=True),
            n_women=Count("participants", filter=Q(participants__sex="P"), distinct=True),
        )
        .order_by("-starts_on", "-pk")
    )


def participant_list(*, user: Any, bintek: Bintek | None = None, action: str = "view") -> QuerySet[Participant]:
    """Return the participants the user may see (of one Bintek), each marked with how often present."""
    qs = Participant.objects.for_user(user, action).select_related("bintek", "person")
    if bintek is not None:
        qs = qs.filter(bintek=bintek)
    return qs.annotate(n_present=Count("attendances", distinct=True)).order_by("number", "pk")


@dataclass
class Results:
    """What came of a Bintek (hasil nyata): attendance, certificates, follow-up and outcomes against the baseline."""

    participants: int
    present: int
    women: int
    men: int
    by_group: list[tuple[str, int]]
    sessions: int
    certificates: int
    followups_done: int
    followups_open: int
    pre_avg: float | None
    post_avg: float | None
    baseline: Outcome | None
    latest: Outcome | None
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def income_change(self) -> int | None:
        if self.latest is None or self.baseline is None:
            return None
        return self.latest.income_per_month - self.baseline.income_per_month

    @property
    def attendance_rate(self) -> int:
        return round(100 * self.present / self.participants) if self.participants else 0


def bintek_results(bintek: Bintek) -> Results:
    """Return the "hasil nyata" of a Bintek the caller has already fetched within scope (a few fixed queries)."""
    present = Exists(Attendance.objects.filter(participant=OuterRef("pk")))
    counts = bintek.participants.aggregate(
        n=Count("pk"),
        present=Count("pk", filter=Q(present)),
        women=Count("pk", filter=Q(sex="P")),
        men=Count("pk", filter=Q(sex="L")),
        certs=Count("pk", filter=Q(certificate_code__isnull=False)),
    )
    scores = bintek.participants.aggregate(pre=Avg("pre_score"), post=Avg("post_score"))
    labels = dict(Participant.Group.choices)
    groups = [(str(labels.get(g, g)), n) for g, n in
              bintek.participants.values_list("group").annotate(n=Count("pk")).order_by("-n", "group")]  # fmt: skip
    fu = bintek.followups.aggregate(
        done=Count("pk", filter=Q(status=FollowUp.Status.DONE)),
        open=Count("pk", filter=Q(status__in=[FollowUp.Status.OPEN, FollowUp.Status.IN_PROGRESS])),
    )
    outcomes = list(bintek.outcomes.order_by("month"))
    baseline = next((o for o in outcomes if o.month == 0), None)
    later = [o for o in outcomes if o.month > 0]
    return Results(
        participants=counts["n"],
        present=counts["present"],
        women=counts["women"],
        men=counts["men"],
        by_group=groups,
        sessions=bintek.sessions.count(),
        certificates=counts["certs"],
        followups_done=fu["done"],
        followups_open=fu["open"],
        pre_avg=round(scores["pre"], 1) if scores["pre"] is not None else None,
        post_avg=round(scores["post"], 1) if scores["post"] is not None else None,
        baseline=baseline,
        latest=later[-1] if later else None,
        outcomes=outcomes,
    )


def certificate_get_unscoped(code: str) -> Participant | None:
    """Return the participant holding certificate `code`, for the public verification page (no scope: by code)."""
    code = (code or "").strip().upper()
    if not code or len(code) > 16:
        return None
    return Participant.objects.select_related("bintek__post", "bintek__region").filter(certificate_code=code).first()


def bintek_by_token_unscoped(token: str) -> Bintek | None:
    """Return the Bintek behind a public registration link (no scope: the unguessable token is the key)."""
    if not token or len(token) > 24:
        return None
    return Bintek.objects.select_related("post", "region", "ttg").filter(public_token=token).first()
