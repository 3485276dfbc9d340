"""The printed checklist: its text holds the phone's identity and every item; device strings stay text."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from station.audit.operators import Operators, Role
from station.audit.signoff import sign_off
from station.audit.store import Store
from station.core.checklist import Handout, SealOutcome, SealState, load_workflow
from station.core.language import ReportLanguage
from station.core.phone import Timeouts
from station.core.policy import default_policy_path, load_policy
from station.core.sayings import Said, Saying
from station.devices.ios import IosTarget
from station.report.document import latest_checklist
from station.report.pdf import page_html, write_pdf
from station.sim.fleet import load_fleet
from station.sim.server import FleetServer
from station.workbench.engine import Engine

WORKFLOW = Path(__file__).resolve().parents[2] / "policies" / "workflows" / "provision.toml"
UDID = "00008120-00114A2E0C38801E"
HOSTILE = "<b>Boss</b> & <script>alert(1)</script>"

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")


@pytest.fixture
def signed_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    fleet = tmp_path / "fleet.toml"
    fleet.write_text(
        f'[[device]]\nplatform = "ios"\nserial = "{UDID}"\nproduct_type = "iPhone16,1"\nos_version = "18.1"\n'
        f'device_name = "{HOSTILE}"\nimei = "356789012345678"\nsupervised = true\napps = ["com.tencent.xin"]\n',
        encoding="utf-8",
    )
    store = Store.open(tmp_path)
    operators = Operators(store)
    ana = operators.add("Ana Tremblay", "1001", Role.SUPERVISOR, "123456", None)
    policy = load_policy(default_policy_path())
    run = store.start_run("provision", policy)
    engine = Engine(policy, store, run)
    engine.operator = ana
    with FleetServer(load_fleet(fleet), latency=False) as server:
        monkeypatch.setenv("USBMUXD_SOCKET_ADDRESS", server.usbmux_address)
        target = IosTarget(UDID, server.usbmux_address, tmp_path, Timeouts(command=5))
        report = asyncio.run(engine.run_workflow(target, load_workflow(WORKFLOW)))
    assert report.ready and report.checklist_seq is not None
    sign_off(store, run, report.checklist_seq, ana)
    yield store
    store.close()


def pdf_text(path: Path) -> str:
    """The PDF's text as a reader would copy it (typographic ligatures such as "fi" unfolded)."""
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True, timeout=30).stdout
    return unicodedata.normalize("NFKC", text)


def test_pdf_holds_identity_policy_every_item_and_the_signer(signed_store: Store, tmp_path: Path, qapp: object) -> None:
    doc = latest_checklist(signed_store, UDID, "Ottawa Depot 3")
    out = tmp_path / "checklist.pdf"
    write_pdf([doc], out, ReportLanguage.EN)
    text = " ".join(pdf_text(out).split())
    for expected in (UDID, "iPhone16,1", "356789012345678", "Ottawa Depot 3", "SIGNED OFF", "Ana Tremblay (badge 1001)",
                     doc.policy["sha256"], f"Log record {doc.record_seq}; station {doc.station_id}"):
        assert expected in text, expected
    for item in doc.items:
        assert " ".join(item["title"].split()) in text, item["title"]
    assert HOSTILE in text  # printed as the characters it is, not as markup


def test_unsigned_checklist_is_marked_plainly_and_markup_is_escaped(signed_store: Store, tmp_path: Path, qapp: object) -> None:
    doc = latest_checklist(signed_store, UDID, "Depot")
    unsigned = type(doc)(**{**doc.__dict__, "sign_off": None})
    html = page_html(unsigned, "qr://x")
    assert "NOT SIGNED OFF" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    out = tmp_path / "unsigned.pdf"
    write_pdf([unsigned, doc], out, ReportLanguage.EN)
    text = pdf_text(out)
    assert "NOT SIGNED OFF" in text and text.count("Phone compliance checklist") == 2


def test_the_checklist_is_bilingual_by_default_with_accents_intact(signed_store: Store, tmp_path: Path, qapp: object) -> None:
    doc = latest_checklist(signed_store, UDID, "Dépôt de Gatineau")
    out = tmp_path / "both.pdf"
    write_pdf([doc], out)
    text = " ".join(pdf_text(out).split())
    for english, french in (("Phone compliance checklist", "Liste de contrôle de conformité de l'appareil mobile"),
                            ("SIGNED OFF: READY FOR HAND-OUT", "APPROUVÉ : PRÊT POUR LA REMISE"),  # NFKC: U+00A0 read as a space
                            ("Operating system", "Système d'exploitation"), ("Checklist run by", "Liste de contrôle effectuée par"),
                            ("Who and when", "Qui et quand"), ("PASS", "RÉUSSI"), ("Workflow", "Procédure"),
                            ("Storage encrypted", "Stockage chiffré")):  # the workflow's own French title
        assert f"{english} / {french}" in text, french
    assert "Dépôt de Gatineau" in text and "mise en service" in text
    assert "Ana Tremblay (badge / insigne 1001)" in text
    assert subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout.count("Pages:           1") == 1


@pytest.mark.parametrize(("language", "present", "absent"), [
    (ReportLanguage.FR, "Liste de contrôle de conformité de l'appareil mobile", "Phone compliance checklist"),
    (ReportLanguage.EN, "Phone compliance checklist", "Liste de contrôle"),
])
def test_the_checklist_in_one_language(signed_store: Store, tmp_path: Path, qapp: object, language: ReportLanguage,
                                       present: str, absent: str) -> None:
    doc = latest_checklist(signed_store, UDID, "Depot")
    out = tmp_path / f"{language}.pdf"
    write_pdf([doc], out, language)
    text = " ".join(pdf_text(out).split())
    assert present in text and absent not in text
    if language is ReportLanguage.FR:
        assert "Vérifié le (UTC)" in text and " h " in text  # QLocale's Canadian French time: 23 h 40
        # The evidence too, worded from what the log says each item said, not printed in English.
        assert "aucune application de la politique parmi les" in text and "none of the policy's apps" not in text
    else:
        assert "none of the policy's apps among" in text


def test_the_checklist_says_the_phone_was_sealed_and_when_or_why_not(signed_store: Store, tmp_path: Path, qapp: object) -> None:
    doc = latest_checklist(signed_store, UDID, "Depot")
    assert doc.seal is not None and doc.seal.sealed and doc.seal.time is not None
    out = tmp_path / "sealed.pdf"
    write_pdf([doc], out, ReportLanguage.EN)
    text = " ".join(pdf_text(out).split())
    assert "Sealed" in text and f"yes, at {doc.seal.time[:10]}" in text  # pdftotext reads a table column by column
    failed = Said.of(Saying.SEAL_FAILED, done=Said.of(Saying.DEBUGGING_OFF), why=Said.of(Saying.STILL_LETS_IN, seconds=15))
    not_sealed = SealOutcome(SealState.NOT_SEALED, Said.of(Saying.NOT_SEALED, why=failed), None, Handout.RESTORE_SETTINGS)
    unsealed = type(doc)(**{**doc.__dict__, "seal": not_sealed})
    write_pdf([unsealed], out, ReportLanguage.BOTH)
    text = " ".join(pdf_text(out).split())
    assert "Not sealed / Non scellé" in text and "the phone still let this station in 15 s later" in text
    assert "le poste 15 s plus tard" in text  # the reason in French too
    assert subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout.count("Pages:           1") == 1
    guided = SealOutcome(SealState.SEALED, Said.of(Saying.RESTARTED_FOR_RESET), doc.seal.time, Handout.GUIDED_RESET)
    write_pdf([type(doc)(**{**doc.__dict__, "seal": guided})], out, ReportLanguage.EN)
    assert "reset to its setup screens, awaiting enrolment" in " ".join(pdf_text(out).split())
