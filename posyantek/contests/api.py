"""The contests API under /api/v1/lomba: rubrics, editions, entries and dossiers, score sheets, results, chain."""

from ninja import Router

from posyantek.contests import edition_api, judging_api, result_api, rubric_api

router = Router()
router.add_router("", rubric_api.router)
router.add_router("", edition_api.router)
router.add_router("", judging_api.router)
router.add_router("", result_api.router)
