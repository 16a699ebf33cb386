"""Demo partnerships of Mitra Pantura: a university, a bank's CSR, a BUMDes, a polytechnic, its own Wartek and the
DKI Jakarta province office, with agreements in every stage.

- UNIKAL (with the Wartek as third party): running, with what it produced: the Panjang Wetan fish-dryer Bintek
  (trainings demo), the solar fish dryer TTG, Mitra Pantura's orders from fish processors, a service grant;
- Bank Jateng's CSR: running and ending within 90 days, so its reminder shows and the list marks it; the funds are
  the finance demo's CSR grant;
- Polines Semarang: an agreement that was evaluated and extended, and its extension, signed and running;
- BUMDes Karya Mandiri (Kabupaten Pekalongan; the city has kelurahan, not desa): a draft;
- DPMPPKB DKI Jakarta: exploring the replication of the post in Jakarta's 44 kecamatan.

Everything goes through the services (so it is audited); steps are then put at the dates they happened. Records of
other demos (Bintek, TTG, orders, grant, requests) are looked up and skipped when absent. Idempotent.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.core.mail import get_connection
from django.utils import timezone

from posyantek.accounts.models import User
from posyantek.catalog.models import Ttg
from posyantek.consultations.models import ServiceRequest
from posyantek.finance.models import Grant
from posyantek.orders.models import Order
from posyantek.orders.workflow import COUNTED
from posyantek.partnerships import agreement_services, result_services, services
from posyantek.partnerships.models import Agreement, AgreementStep, Partner
from posyantek.partnerships.reminders import agreements_remind_expiring
from posyantek.posts.models import Post
from posyantek.regions.models import Region
from posyantek.trainings.models import Bintek

MANAGER = "mitrapantura@demo.posyantek.id"
UNIKAL = "Universitas Pekalongan (UNIKAL)"
BANK = "PT Bank Jateng Cabang Pekalongan (CSR)"
BUMDES = "BUMDes Karya Mandiri, Kabupaten Pekalongan"
POLINES = "Politeknik Negeri Semarang (Polines)"
WARTEK = "Posyantek Wartek Panjang Wetan"
DKI = "DPMPPKB Provinsi DKI Jakarta"
UNIKAL_MOU = "Pendampingan Teknologi Tepat Guna Pengolahan Ikan dan Pengabdian kepada Masyarakat"
CSR_PKS = "Program CSR Alat Pengering Ikan Tenaga Surya untuk Pengolah Ikan Panjang Wetan"
POLINES_MOU = "Pengembangan dan Uji Terap TTG Perikanan Pesisir"

#: name, kind, region code, website, address, (contact name, position, phone)
PARTNERS = [
    (UNIKAL, "perguruan_tinggi", "33.75", "https://www.unikal.ac.id", "Jl. Sriwijaya No. 3, Kota Pekalongan",
     ("Dr. Hadi Prasetyo", "Ketua LPPM", "0812-2700-3101")),
    (POLINES, "perguruan_tinggi", "33.74", "https://www.polines.ac.id", "Jl. Prof. Sudarto, Tembalang, Semarang",
     ("Ir. Wahyu Santosa, M.T.", "Kepala P3M", "0813-2500-4412")),
    (BANK, "perusahaan", "33.75", "", "Kota Pekalongan", ("Rina Kartikasari", "Staf CSR", "0811-2900-7788")),
    (BUMDES, "bumdes", "33.26", "", "Kabupaten Pekalongan", ("Darsono", "Direktur BUMDes", "0857-4200-1133")),
    (WARTEK, "posyantek_lain", "33.75", "", "Jl. Jlamprang Gg. 3, Panjang Wetan, Pekalongan Utara", None),
    (DKI, "pemerintah", "31", "", "Jl. Medan Merdeka Selatan, Jakarta Pusat", ("Bidang TTG", "Kepala Seksi", "")),
]  # fmt: skip


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _backdate(ag: Agreement, days: list[dt.date]) -> None:
    """Put the agreement's steps at the days they happened (the services stamp now), oldest first."""
    for step, day in zip(ag.steps.order_by("at", "pk"), days, strict=False):
        AgreementStep.objects.filter(pk=step.pk).update(at=_at(min(day, timezone.localdate())))


def _partners(actor: Any, post: Post) -> dict[str, Partner]:
    out = {}
    wartek = Post.objects.filter(slug="wartek-panjang-wetan").first()
    for name, kind, code, website, address, contact in PARTNERS:
        if kind == "posyantek_lain" and wartek is None:
            continue
        data = {"post": post, "name": name, "kind": kind, "website": website, "address": address,
                "home_region": code if Region.objects.filter(code=code).exists() else None,
                "other_post": wartek if kind == "posyantek_lain" else None}  # fmt: skip
        partner = services.partner_create(actor=actor, data=data)
        if contact:
            services.contact_add(actor=actor, partner=partner, data=dict(zip(("name", "position", "phone"), contact,
                                                                             strict=True)))  # fmt: skip
        out[name] = partner
    return out


def _agreement(actor: Any, post: Post, manager: Any, parties: list[tuple[Partner | None, str, str]],
               **data: Any) -> Agreement:  # fmt: skip
    """Create an agreement with its parties: (partner or None for the post, signatory title, obligations)."""
    ag = agreement_services.agreement_create(actor=actor, data={"post": post, "manager": manager, **data})
    for partner, title, obligations in parties:
        if partner is None:
            party = ag.parties.get(is_post=True)
            agreement_services.party_update(actor=actor, party=party, data={"signatory_title": title,
                                                                            "obligations": obligations})  # fmt: skip
        else:
            agreement_services.party_add(actor=actor, agreement=ag, partner=partner, signatory_title=title,
                                         obligations=obligations)  # fmt: skip
    return ag


def _walk(actor: Any, ag: Agreement, states: list[str], **extra: Any) -> Agreement:
    for state in states:
        kwargs = {k: v for k, v in extra.items() if (k, state) in {("signed_on", "ditandatangani"),
                                                                   ("evaluation", "dievaluasi")}}  # fmt: skip
        ag = agreement_services.agreement_advance(actor=actor, agreement=ag, state=state, **kwargs)
    return ag


def _result(actor: Any, ag: Agreement, **data: Any) -> None:
    result_services.result_add(actor=actor, agreement=ag, data=data)


def _unikal(actor: Any, post: Post, manager: Any, p: dict[str, Partner], today: dt.date) -> Agreement:
    signed = today - dt.timedelta(days=400)
    parties = [
        (
            None,
            "Ketua Posyantek Mitra Pantura",
            "Menyediakan lokasi praktik, peserta dan tindak lanjut di kelurahan; memasarkan TTG hasil kerja sama.",
        ),
        (p[UNIKAL], "Rektor", "Menyediakan dosen narasumber dan mahasiswa pendamping; uji kinerja alat."),
    ]
    if WARTEK in p:
        parties.append((p[WARTEK], "Ketua Wartek Panjang Wetan", "Mengorganisasi pengolah ikan Panjang Wetan."))
    ag = _agreement(actor, post, manager, parties, title=UNIKAL_MOU, number=f"045/MoU/LPPM-UNIKAL/{signed.year}",
                    doc_kind="mou", starts_on=signed, ends_on=signed + dt.timedelta(days=3 * 365),
                    value=0, scope="Bintek, pendampingan kelompok pengolah ikan, pengembangan dan uji terap alat "
                    "pengering ikan tenaga surya, publikasi bersama.")  # fmt: skip
    ag = _walk(actor, ag, ["draf", "ditandatangani", "berjalan"], signed_on=signed)
    _backdate(ag, [signed - dt.timedelta(days=60), signed - dt.timedelta(days=30), signed, signed + dt.timedelta(7)])
    bintek = Bintek.objects.filter(title__startswith="Bintek Pengeringan Ikan Higienis").order_by("pk").first()
    if bintek is not None:
        _result(actor, ag, kind="bintek", bintek=bintek, description="Dosen UNIKAL sebagai narasumber")
    ttg = Ttg.objects.filter(name="Alat Pengering Ikan Tenaga Surya").first()
    if ttg is not None and ttg.post_id in result_services.post_family(post):
        _result(actor, ag, kind="ttg", ttg=ttg, occurred_on=signed + dt.timedelta(days=90),
                description="Uji kinerja dan perbaikan rak pengering di laboratorium UNIKAL")  # fmt: skip
    fish = ["Kelautan", "Pokdakan", "Koperasi", "Nelayan", "Laut"]
    orders = [o for o in Order.objects.filter(post=post, state__in=COUNTED, ordered_at__gte=_at(signed))
              .exclude(channel="marketplace").order_by("ordered_at", "pk")
              if any(w in o.buyer_institution for w in fish)][:3]  # fmt: skip
    for order in orders:
        _result(actor, ag, kind="pesanan", order=order, description="Pembeli mengenal alat dari uji terap UNIKAL")
    request = ServiceRequest.objects.filter(post=post, state="dirujuk").order_by("pk").first()
    if request is not None:
        _result(actor, ag, kind="permohonan", service_request=request, description="Dirujuk ke laboratorium UNIKAL")
    _result(actor, ag, kind="dana", amount=15_000_000, occurred_on=signed + dt.timedelta(days=120),
            description="Hibah pengabdian kepada masyarakat LPPM UNIKAL")  # fmt: skip
    _result(actor, ag, kind="lainnya", occurred_on=signed + dt.timedelta(days=300),
            description="Artikel pengabdian bersama di jurnal LPPM")  # fmt: skip
    return ag


def _csr(actor: Any, post: Post, manager: Any, p: dict[str, Partner], today: dt.date) -> Agreement:
    grant = Grant.objects.filter(post=post, giver__startswith="PT Bank Jateng").order_by("pk").first()
    signed = (grant.starts_on if grant else today - dt.timedelta(days=150)) - dt.timedelta(days=10)
    ends = today + dt.timedelta(days=60)
    ag = _agreement(actor, post, manager, [
        (None, "Ketua Posyantek Mitra Pantura", "Mengadakan tiga unit alat dan melaporkan penggunaannya (LPJ)."),
        (p[BANK], "Pemimpin Cabang", "Menyalurkan dana CSR Rp 45.000.000 untuk tiga unit alat pengering ikan."),
    ], title=CSR_PKS, number=grant.agreement_number if grant and grant.agreement_number else "CSR/BJTG/041",
        doc_kind="pks", starts_on=signed, ends_on=ends, value=45_000_000,
        scope="Pengadaan tiga unit alat pengering ikan tenaga surya untuk KUB pengolah ikan Panjang "
              "Wetan.")  # fmt: skip
    ag = _walk(actor, ag, ["draf", "ditandatangani", "berjalan"], signed_on=signed)
    _backdate(ag, [signed - dt.timedelta(days=45), signed - dt.timedelta(days=20), signed, signed + dt.timedelta(3)])
    if grant is not None:
        _result(actor, ag, kind="dana", amount=grant.amount, grant=grant, occurred_on=grant.starts_on,
                description="Pencairan hibah CSR")  # fmt: skip
    else:
        _result(actor, ag, kind="dana", amount=45_000_000, occurred_on=signed, description="Pencairan dana CSR")
    # It ends within 90 days: its manager gets the reminder (not mailed from the demo).
    agreements_remind_expiring(today=today, connection=get_connection("django.core.mail.backends.dummy.EmailBackend"))
    return ag


def _polines(actor: Any, post: Post, manager: Any, p: dict[str, Partner], today: dt.date) -> Agreement:
    signed = today - dt.timedelta(days=1300)
    ends = today - dt.timedelta(days=205)
    ag = _agreement(actor, post, manager, [
        (None, "Ketua Posyantek Mitra Pantura", "Menyediakan lokasi uji terap dan kelompok pengguna."),
        (p[POLINES], "Direktur", "Merancang dan menguji alat; melibatkan mahasiswa tugas akhir."),
    ], title=POLINES_MOU, number=f"B/112/PL4/KS/{signed.year}", doc_kind="mou", starts_on=signed,
        ends_on=ends)  # fmt: skip
    ag = _walk(actor, ag, ["draf", "ditandatangani", "berjalan", "dievaluasi"], signed_on=signed,
               evaluation="Dua alat diuji terap (perontok dan pengering); satu dipakai kelompok. Lanjutkan dengan "
               "fokus pemasaran dan perawatan.")  # fmt: skip
    ag = agreement_services.agreement_advance(actor=actor, agreement=ag, state="diperpanjang",
                                              ends_on=ends + dt.timedelta(days=3 * 365),
                                              note="Diperpanjang tiga tahun")  # fmt: skip
    _backdate(
        ag,
        [
            signed - dt.timedelta(days=40),
            signed - dt.timedelta(days=14),
            signed,
            signed + dt.timedelta(days=10),
            ends - dt.timedelta(days=30),
            ends - dt.timedelta(days=20),
        ],
    )
    new = ag.extensions.get()
    renewed = ends - dt.timedelta(days=10)
    agreement_services.agreement_update(actor=actor, agreement=new, data={
        "number": f"B/087/PL4/KS/{renewed.year}", "value": 0})  # fmt: skip
    new = _walk(actor, new, ["ditandatangani", "berjalan"], signed_on=renewed)
    _backdate(new, [ends - dt.timedelta(days=20), renewed, ends + dt.timedelta(days=1)])
    return new


def load_partnerships(admin: Any, rng: random.Random, today: dt.date) -> int:
    """Create Mitra Pantura's partners and agreements through the services; return how many agreements were made."""
    post = Post.objects.filter(slug="mitra-pantura").first()
    if post is None or Agreement.objects.filter(post=post).exists():
        return 0
    manager = User.objects.filter(email=MANAGER, is_active=True).first()
    if manager is not None and agreement_services.can_manage_agreements(manager, post):
        actor = manager
    else:
        actor, manager = admin, admin
    p = _partners(actor, post)
    made = [_unikal(actor, post, manager, p, today), _csr(actor, post, manager, p, today)]
    made.append(_polines(actor, post, manager, p, today))
    draft = _agreement(actor, post, manager, [
        (None, "Ketua Posyantek Mitra Pantura", "Memasok produk TTG dan melatih pengelola unit usaha."),
        (p[BUMDES], "Direktur BUMDes", "Menjual produk TTG lewat unit usaha BUMDes; komisi 10%."),
    ], title="Pemasaran Produk TTG melalui Unit Usaha BUMDes", doc_kind="pks", value=25_000_000,
        starts_on=today + dt.timedelta(days=30), ends_on=today + dt.timedelta(days=30 + 2 * 365))  # fmt: skip
    made.append(_walk(actor, draft, ["draf"]))
    made.append(_agreement(actor, post, manager, [
        (p[DKI], "Kepala Dinas", "Menyiapkan regulasi dan pendanaan Posyantek di 44 kecamatan."),
    ], title="Replikasi Posyantek Mitra Pantura di 44 Kecamatan DKI Jakarta", doc_kind="mou",
        scope="Pendampingan pembentukan, pendanaan dan Bintek Posyantek kecamatan di DKI Jakarta."))  # fmt: skip
    return len(made) + 1  # the Polines agreement that was extended
