"""The public TTG catalogue: browse and search, a record's page, its QR code and PDF sheet, and "Cari solusi".

Nothing here needs a login, and only published records (`public_ttgs()`) are ever shown, their photos included.
"""

from __future__ import annotations

import base64
import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

import segno
from django import forms
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from posyantek.catalog.models import Aspect, Innovator, Sector, Ttg
from posyantek.catalog.search import CatalogFilter, catalog_search, filter_from
from posyantek.catalog.ttg_selectors import (
    adoption_summary,
    innovators_public_search,
    public_adoptions,
    public_ttgs,
    published,
    region_facets,
    with_cards,
)
from posyantek.core import ratelimit
from posyantek.core.htmx import render_page
from posyantek.core.lib import textsearch
from posyantek.core.lib.rupiah import format_rupiah
from posyantek.core.pagecache import cache_page_until_change
from posyantek.regions.models import Region

PAGE_SIZE = 25
SUMMARY_CHARS = 160
SOLVE_HITS = 10
#: Words of a problem description used to look for innovators; more only adds noise and OR terms.
SOLVE_MAX_WORDS = 20


# --- the catalogue -----------------------------------------------------------------------------------------


class RupiahField(forms.CharField):
    """An amount in whole rupiah, also written as "Rp 1.500.000"."""

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = re.sub(r"(?i)^\s*rp\.?|[\s.]", "", str(value or ""))
        if not text:
            return None
        if not text.isdigit():
            raise forms.ValidationError(_("Tulis angka rupiah tanpa koma, mis. 1500000 atau 1.500.000."))
        if len(text) > 15:  # beyond any price, and beyond what a database integer holds
            raise forms.ValidationError(_("Angkanya terlalu besar."))
        return int(text)


class CatalogForm(forms.Form):
    """The catalogue's search and filters: shape only; a value that cannot be read is skipped, not fatal."""

    SORTS = [
        ("", gettext_lazy("Paling cocok / terbaru")),
        ("terbaru", gettext_lazy("Terbaru")),
        ("harga", gettext_lazy("Harga terendah")),
        ("penerapan", gettext_lazy("Paling banyak diterapkan")),
    ]

    q = forms.CharField(label=gettext_lazy("Cari TTG"), required=False)
    sector = forms.ChoiceField(label=gettext_lazy("Bidang"), required=False,
                               choices=[("", gettext_lazy("Semua bidang")), *Sector.choices])  # fmt: skip
    aspect = forms.ChoiceField(label=gettext_lazy("Aspek"), required=False,
                               choices=[("", gettext_lazy("Semua aspek")), *Aspect.choices])  # fmt: skip
    region = forms.ChoiceField(label=gettext_lazy("Wilayah"), required=False)
    readiness = forms.ChoiceField(label=gettext_lazy("Kesiapan"), required=False,
                                  choices=[("", gettext_lazy("Semua")), *Ttg.Readiness.choices])  # fmt: skip
    ip = forms.ChoiceField(label=gettext_lazy("Status HKI"), required=False,
                           choices=[("", gettext_lazy("Semua")), *Ttg.IpStatus.choices])  # fmt: skip
    price_min = RupiahField(label=gettext_lazy("Harga dari (Rp)"), required=False)
    price_max = RupiahField(label=gettext_lazy("Harga sampai (Rp)"), required=False)
    sort = forms.ChoiceField(label=gettext_lazy("Urutkan"), required=False, choices=SORTS)

    def __init__(self, *args: Any, regions: list[tuple[Any, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("Semua wilayah")), *regions]
        self.fields["price_min"].widget.attrs.update(inputmode="numeric", placeholder="0")
        self.fields["price_max"].widget.attrs.update(inputmode="numeric", placeholder="5.000.000")


def _region_choices(code: str) -> list[tuple[Any, Any]]:
    """Return the provinces that have published records, with the regencies of the chosen one, and `code`.

    Listing every regency would put 500 options on a phone; a province is picked first, then its regencies.
    """
    counts = region_facets(province=code)
    by_code = {r.code: r for r in Region.objects.filter(code__in=set(counts) | ({code} if code else set()))}
    choices: list[tuple[Any, Any]] = []
    for prov in sorted(c for c in counts if len(c) == 2):
        choices.append((prov, f"{by_code[prov].name} ({_number(counts[prov])})"))
        for c in sorted(c for c in counts if c.startswith(prov + ".")):
            choices.append((c, f"— {by_code[c]} ({_number(counts[c])})"))
    # A kecamatan or village reached by a link (say, from a region's page) is offered as it is.
    if code in by_code and code not in counts:
        choices.insert(0, (code, str(by_code[code])))
    return choices


def _read_filters(form: CatalogForm) -> tuple[dict[str, Any], list[str]]:
    """Return the usable filter values and a note for each value that had to be skipped."""
    form.is_valid()
    notes = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else name
        notes.append(_("%(label)s tidak dipakai: %(error)s") % {"label": label, "error": " ".join(errors)})
    values = form.cleaned_data
    low, high = values.get("price_min"), values.get("price_max")
    if low is not None and high is not None and low > high:
        values["price_min"], values["price_max"] = high, low
        notes.append(_("Harga dari lebih besar daripada harga sampai; keduanya ditukar."))
    return values, notes


def _filters(values: dict[str, Any]) -> CatalogFilter:
    return filter_from({**values, "ip_status": values.get("ip")})


ORDERINGS = {
    "terbaru": [F("published_at").desc(nulls_last=True), "-pk"],
    "harga": [F("price").asc(nulls_last=True), "-pk"],
    "penerapan": [F("adopted_units").desc(nulls_last=True), "-pk"],
}


def _summary(ttg: Ttg) -> str:
    text = " ".join((ttg.problem or ttg.function or "").split())
    if len(text) <= SUMMARY_CHARS:
        return text
    return text[:SUMMARY_CHARS].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def _decorate(ttgs: list[Ttg], terms: list[textsearch.QueryTerm]) -> None:
    """Give each card its name and summary as HTML, with the search words marked."""
    for t in ttgs:
        # highlight() escapes the text itself and adds only <mark>.
        t.name_html = mark_safe(textsearch.highlight(t.name, terms))  # type: ignore[attr-defined]
        t.summary_html = mark_safe(textsearch.highlight(_summary(t), terms))  # type: ignore[attr-defined]


def _page_of(filters: CatalogFilter, query: str, sort: str, number: str | None) -> tuple[Any, list[Any], bool]:
    """Return a page of records (searched when there is a query), the query's terms, and whether all are counted."""
    qs = with_cards(filters.apply(published()))
    if not query:
        page = Paginator(qs.order_by(*ORDERINGS.get(sort, ORDERINGS["terbaru"])), PAGE_SIZE).get_page(number)
        return page, [], True
    found = catalog_search(query, filters)
    ids = found.ids
    if sort in ORDERINGS and ids:
        ids = list(qs.filter(pk__in=ids).order_by(*ORDERINGS[sort]).values_list("pk", flat=True))
    page = Paginator(ids, PAGE_SIZE).get_page(number)
    by_pk = {t.pk: t for t in qs.filter(pk__in=list(page.object_list))}
    page.object_list = [by_pk[pk] for pk in page.object_list if pk in by_pk]
    return page, found.query, found.complete


@login_not_required
@cache_page_until_change
def ttg_catalog(request: HttpRequest) -> HttpResponse:
    """The public catalogue: search as you type, filter, sort, page."""
    form = CatalogForm(request.GET, regions=_region_choices(request.GET.get("region", "").strip()))
    values, notes = _read_filters(form)
    query = (values.get("q") or "").strip()[:200]
    page, terms, complete = _page_of(_filters(values), query, values.get("sort") or "", request.GET.get("page"))
    _decorate(list(page.object_list), terms)
    params = request.GET.copy()
    params.pop("page", None)
    base = params.urlencode()
    ctx = {"form": form, "page_obj": page, "notes": notes, "query": query, "complete": complete,
           "querystring_base": base + "&" if base else ""}  # fmt: skip
    return render_page(request, "catalog/public/ttg_catalog.html", ctx, fragment="results")


# --- one record --------------------------------------------------------------------------------------------

#: What the specification table shows, in order, when filled.
SPEC_FIELDS = [
    "other_names", "kind", "source", "year_made", "commodities", "target_users", "dimensions", "materials",
    "local_materials", "power_source", "power_watt", "capacity", "food_grade", "price", "production_cost",
    "operating_cost", "payback_months", "readiness", "trl", "ip_status", "producer", "producer_contact",
    "lead_time_days",
]  # fmt: skip
#: The few that fit on the one-page sheet.
SHEET_FIELDS = ["kind", "commodities", "dimensions", "materials", "power_source", "power_watt", "capacity",
                "food_grade", "readiness", "ip_status", "lead_time_days", "payback_months"]  # fmt: skip
#: Texts shown as paragraphs on the record's page, in order, when filled.
TEXT_FIELDS = ["problem", "function", "benefits", "how_it_works", "operation", "maintenance", "safety",
               "value_added", "factory_comparison", "recognition"]  # fmt: skip


def _number(value: Decimal | int) -> str:
    if isinstance(value, Decimal):
        value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def _spec_value(ttg: Ttg, field: str) -> str:
    value = getattr(ttg, field)
    if field == "food_grade":
        return _("ya") if value else _("tidak")
    if value in (None, ""):
        return ""
    if field in ("price", "production_cost"):
        return format_rupiah(value)
    if field == "power_watt":
        return _("%(n)s watt") % {"n": _number(value)}
    if field == "capacity":
        return f"{_number(value)} {ttg.capacity_unit}".strip()
    if field == "payback_months":
        return _("%(n)s bulan") % {"n": value}
    if field == "lead_time_days":
        return _("%(n)s hari") % {"n": value}
    if field == "ip_status" and ttg.ip_number:
        return f"{ttg.get_ip_status_display()} ({ttg.ip_number})"
    if Ttg._meta.get_field(field).choices:
        return str(getattr(ttg, f"get_{field}_display")())
    return str(value)


def spec_rows(ttg: Ttg, fields: list[str]) -> list[tuple[str, str]]:
    """Return (label, value) for the filled fields of a record, labelled by the model's verbose names."""
    rows = []
    for field in fields:
        value = _spec_value(ttg, field)
        if value:
            label = str(Ttg._meta.get_field(field).verbose_name)
            rows.append((capfirst(re.sub(r"\s*\((Rp|watt|bulan|hari)\)$", "", label)), value))
    return rows


def _get_public(slug: str) -> Ttg:
    qs = public_ttgs().prefetch_related("innovators__person")
    return get_object_or_404(qs, slug=slug)


def _adoptions(ttg: Ttg) -> list[dict[str, Any]]:
    """Return the adoptions with their region named down from the province, in two queries."""
    rows = public_adoptions(ttg)
    codes = {c for a in rows for c in a.region.ancestor_codes}
    names = {r.code: str(r) for r in Region.objects.filter(code__in=codes)}
    out = []
    for a in rows:
        place = [str(a.region), *(names[c] for c in reversed(a.region.ancestor_codes) if c in names)]
        out.append({"adoption": a, "place": ", ".join(place)})
    return out


def _qr_svg(url: str) -> str:
    """Return the QR code of `url` as a plain SVG: no <style>, no script, only a white and a black path."""
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="svg", scale=6, border=2, dark="#000", light="#fff",
                                    xmldecl=False, svgclass=None, lineclass=None)  # fmt: skip
    return buf.getvalue().decode()


@login_not_required
@cache_page_until_change
def ttg_public_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A published record: photos, specifications, where it is used, who made it, and ways to share it."""
    ttg = _get_public(slug)
    url = request.build_absolute_uri(ttg.get_public_url())
    ctx = {
        "ttg": ttg,
        "photos": list(ttg.photos.all()),
        "specs": spec_rows(ttg, SPEC_FIELDS),
        "texts": [(capfirst(Ttg._meta.get_field(f).verbose_name), getattr(ttg, f)) for f in TEXT_FIELDS
                  if getattr(ttg, f)],
        "adoptions": _adoptions(ttg),
        "reach": adoption_summary(ttg),
        "innovators": [str(i) for i in ttg.innovators.all()],
        "absolute_url": url,
        "whatsapp_url": "https://wa.me/?text=" + quote(f"{ttg.name} {url}", safe=""),
    }  # fmt: skip
    return render_page(request, "catalog/public/ttg_detail.html", ctx)


@login_not_required
@cache_page_until_change
def ttg_qr(request: HttpRequest, slug: str) -> HttpResponse:
    """The QR code of a published record's page, as SVG."""
    ttg = get_object_or_404(public_ttgs().prefetch_related(None), slug=slug)
    return HttpResponse(_qr_svg(request.build_absolute_uri(ttg.get_public_url())), content_type="image/svg+xml")


@login_not_required
def ttg_photo(request: HttpRequest, photo_id: int, size: str) -> FileResponse:
    """Stream a published record's photo ("besar") or thumbnail ("kecil"); media is not public otherwise."""
    if size not in ("besar", "kecil"):
        raise Http404
    ttg = get_object_or_404(public_ttgs(), photos__pk=photo_id)
    photo = next(p for p in ttg.photos.all() if p.pk == photo_id)
    file = photo.image if size == "besar" else photo.thumbnail
    try:
        handle = file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, filename=Path(file.name).name)
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _pdf(html: str) -> bytes:
    """Render HTML to PDF; only files and data: URIs load (our media and the QR code), never the network."""
    from weasyprint import HTML  # noqa: PLC0415 - a missing pango raises OSError here, handled by the caller
    from weasyprint.urls import URLFetcher  # noqa: PLC0415

    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    return HTML(string=html, url_fetcher=fetcher).write_pdf()


#: Specification sheets one address may have made per minute (a kept sheet is served without counting).
SHEETS_PER_MINUTE = 20


@login_not_required
@cache_page_until_change
def ttg_sheet(request: HttpRequest, slug: str) -> HttpResponse:
    """A one-page A4 specification sheet of a published record, for an exhibition table."""
    ttg = _get_public(slug)
    if not ratelimit.allow(f"sheet:{ratelimit.client_ip(request)}", limit=SHEETS_PER_MINUTE, per_seconds=60):
        message = _("Terlalu banyak lembar PDF dibuat dari alamat Anda. Tunggu satu menit, lalu coba lagi.")
        ctx = {"code": 429, "title": _("Terlalu banyak permintaan"), "message": message}
        response = render(request, "error.html", ctx, status=429)
        response["Retry-After"] = "60"
        return response
    url = request.build_absolute_uri(ttg.get_public_url())
    photo = next(iter(ttg.photos.all()), None)
    photo_uri = None
    if photo is not None and Path(photo.image.path).is_file():
        photo_uri = Path(photo.image.path).as_uri()
    ctx = {
        "ttg": ttg,
        "photo": photo,
        "photo_uri": photo_uri,
        "specs": spec_rows(ttg, SHEET_FIELDS),
        "summary": _sheet_text(ttg.function or ttg.problem),
        "innovators": [str(i) for i in ttg.innovators.all()],
        "reach": adoption_summary(ttg),
        "absolute_url": url,
        "qr_uri": "data:image/svg+xml;base64," + base64.b64encode(_qr_svg(url).encode()).decode(),
    }
    html = render_to_string("catalog/public/ttg_sheet.html", ctx, request=request)
    try:
        pdf = _pdf(html)
    except OSError:
        message = _("Lembar spesifikasi PDF belum dapat dibuat di server ini. Silakan coba lagi nanti.")
        ctx = {"code": 503, "title": _("Layanan belum tersedia"), "message": message}
        return render(request, "error.html", ctx, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{ttg.slug}.pdf"'
    return response


def _sheet_text(text: str, limit: int = 320) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


# --- "Cari solusi" -----------------------------------------------------------------------------------------


class SolveForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Ceritakan masalah Anda"), max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": gettext_lazy(
            "mis. Ikan hasil tangkapan cepat busuk karena susah dijemur saat musim hujan")}),
        error_messages={"required": gettext_lazy("Tuliskan dulu masalahnya, dengan kata-kata Anda sendiri.")},
    )  # fmt: skip

    def clean_q(self) -> str:
        value = self.cleaned_data["q"]
        if not textsearch.tokens(value):
            raise forms.ValidationError(_("Tuliskan masalahnya dengan beberapa kata yang jelas, mis. nama hasil "
                                          "panen atau pekerjaan yang ingin dipermudah."))  # fmt: skip
        return value


def _solve_ttgs(text: str) -> list[Ttg]:
    """Return the published records that best answer a problem described in free words.

    `catalog_search` needs every word to match, which a sentence never does; so each word is scored on its
    own (with the same tiers) and records matching more of the words come first, then by total score.
    """
    terms = textsearch.query_terms(text)[:SOLVE_MAX_WORDS]
    per_word: dict[int, list[float]] = {}
    for term in terms:
        for pk, score in _search_word(term).items():
            per_word.setdefault(pk, []).append(score)
    ranked = sorted(per_word, key=lambda pk: (-len(per_word[pk]), -sum(per_word[pk]), pk))[:SOLVE_HITS]
    by_pk = {t.pk: t for t in public_ttgs().filter(pk__in=ranked)}
    hits = [by_pk[pk] for pk in ranked if pk in by_pk]
    _decorate(hits, terms)
    return hits


def _search_word(term: textsearch.QueryTerm) -> dict[int, float]:
    """Return the published records matching one query word, with their score."""
    # A trailing space tells catalog_search the word is complete (no prefix match).
    return catalog_search(term.raw + ("" if term.prefix else " ")).scores


@login_not_required
@cache_page_until_change
def ttg_solve(request: HttpRequest) -> HttpResponse:
    """Describe a problem in your own words; see technologies and innovators that may answer it."""
    form = SolveForm(request.GET if "q" in request.GET else None)
    ttgs: list[Ttg] = []
    innovators: list[Innovator] = []
    if form.is_bound and form.is_valid():
        ttgs = _solve_ttgs(form.cleaned_data["q"])
        innovators = innovators_public_search(form.cleaned_data["q"], limit=SOLVE_HITS, max_words=SOLVE_MAX_WORDS)
    ctx = {"form": form, "ttgs": ttgs, "innovators": innovators, "searched": form.is_bound and not form.errors}
    return render_page(request, "catalog/public/ttg_solve.html", ctx, fragment="results")
