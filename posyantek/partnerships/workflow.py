"""The states of an agreement (domain.md §5.7) and what each allows: the one place the rules are written down.

penjajakan → draf → ditandatangani → berjalan → dievaluasi → berakhir | diperpanjang. Exploring or a draft may
also stop (berakhir) when the parties do not go on.
"""

from __future__ import annotations

from posyantek.partnerships.models import Agreement

State = Agreement.State

#: The states each state may move to; any other move (skipping, going back) is refused.
NEXT: dict[str, tuple[str, ...]] = {
    State.EXPLORING: (State.DRAFT, State.ENDED),
    State.DRAFT: (State.SIGNED, State.ENDED),
    State.SIGNED: (State.RUNNING,),
    State.RUNNING: (State.EVALUATED,),
    State.EVALUATED: (State.ENDED, State.EXTENDED),
    State.ENDED: (),
    State.EXTENDED: (),
}
#: Parties are added or removed only before the document is signed.
PARTIES_OPEN = (State.EXPLORING, State.DRAFT)
#: From signing on, an agreement produces results (Bintek, orders, funds…).
PRODUCING = (State.SIGNED, State.RUNNING, State.EVALUATED, State.ENDED, State.EXTENDED)
#: Agreements in force, whose managers are reminded before they expire.
IN_FORCE = (State.SIGNED, State.RUNNING, State.EVALUATED)
FINAL = (State.ENDED, State.EXTENDED)
#: Days before `ends_on` on which a reminder goes out; the list shows the agreements within the first.
REMIND_DAYS = (90, 30)
SOON_DAYS = max(REMIND_DAYS)


def next_states(state: str) -> list[State]:
    """Return the states an agreement in `state` may move to, in order."""
    return [State(s) for s in NEXT.get(state, ())]
