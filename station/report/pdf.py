"""The printed checklist: one page per phone, made with Qt's QTextDocument and QPdfWriter (or a printer),
in English and French side by side (the default, as Government of Canada forms are) or in one of them.
The page's own words are marked for pyside6-lupdate (context "Checklist") and translated from the same
station_fr.ts as the window; an item's evidence is worded from what the log says it said (its typed
``Said``), titles as recorded in each language, names as recorded.

Every string that came from a phone or an operator is escaped before it goes into the page, so a device
name with markup in it prints as the characters it is.
"""

from __future__ import annotations

import html
import io
from functools import cache, partial
from pathlib import Path
from typing import Any

import segno
from PySide6.QtCore import QBuffer, QDateTime, QIODevice, QLocale, QMarginsF, QSizeF, Qt, QTranslator, QUrl
from PySide6.QtGui import QImage, QPagedPaintDevice, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from station.core.checklist import Handout
from station.core.errors import StationError
from station.core.language import QT_TRANSLATE_NOOP, Language, ReportLanguage
from station.core.sayings import Said
from station.report.document import HISTORY_LINES, ChecklistDocument, history_lines

_STATUS_COLOUR = {"pass": "#1e7a34", "fixed": "#1e7a34", "fail": "#b3261e", "skipped": "#5b6b7a"}
_STATUS_WORD = {
    "pass": QT_TRANSLATE_NOOP("Checklist", "PASS"),
    "fixed": QT_TRANSLATE_NOOP("Checklist", "FIXED"),
    "fail": QT_TRANSLATE_NOOP("Checklist", "FAIL"),
    "skipped": QT_TRANSLATE_NOOP("Checklist", "N/A"),
}
_CSS = """
body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: %(body)spt; color: #111; }
h1 { font-size: %(h1)spt; margin: 0; }
h2 { font-size: %(h2)spt; margin-top: %(gap)spx; margin-bottom: 2px; color: #333; }
table.grid { border-collapse: collapse; width: 100%%; }
table.grid td, table.grid th { border: 1px solid #999; padding: 1px 4px; vertical-align: top; }
table.grid th { background: #e8ebef; text-align: left; }
td.label { color: #555; width: 28%%; }
.small { font-size: 7.5pt; color: #444; }
.tiny { font-size: %(tiny)spt; color: #444; }
.banner { font-size: %(banner)spt; font-weight: bold; padding: 4px; }
"""
# Two languages side by side say everything twice: a smaller type keeps a phone to one page.
_SIZES = {"body": 8.5, "h1": 15, "h2": 10.5, "gap": 6, "tiny": 6.5, "banner": 12}
_SIZES_BILINGUAL = {"body": 6.5, "h1": 11, "h2": 8.5, "gap": 2, "tiny": 5.5, "banner": 9}


@cache
def _translator(language: Language) -> QTranslator:
    """The station's compiled translations for ``language``, read directly: a bilingual page needs both
    languages at once, which the application's installed translator (one language) cannot give."""
    translator = QTranslator()
    if not translator.load(str(language.qm_file())):
        raise StationError(f"{language.qm_file()}: the printed checklist's translations cannot be loaded")
    return translator


def _translated(language: Language, context: str, text: str) -> str | None:
    return _translator(language).translate(context, text)


class _Words:
    """The page's own words in its languages: one, or English and French side by side (``English / Français``)."""

    def __init__(self, languages: tuple[Language, ...]) -> None:
        self.languages = languages

    def __call__(self, text: str, **values: object) -> str:
        said = [self.one(language, text, **values) for language in self.languages]
        return " / ".join(dict.fromkeys(said))  # a word that is the same in both (IMEI) is said once

    @staticmethod
    def one(language: Language, text: str, **values: object) -> str:
        translated = _translator(language).translate("Checklist", text) or text
        return translated.format(**values)

    def title(self, item: dict[str, Any]) -> str:
        """A checklist item's title as the log recorded it, in each language it was written in."""
        said = [str(item.get("title_fr") or item["title"]) if language is Language.FR else str(item["title"])
                for language in self.languages]
        return " / ".join(dict.fromkeys(said))

    def evidence(self, item: dict[str, Any]) -> str:
        """An item's evidence in each language: worded from what it said when the log kept that, else as recorded."""
        said = Said.from_json(item["said"]) if isinstance(item.get("said"), dict) else None
        return str(item.get("evidence") or "") if said is None else self.said(said)

    def said(self, said: Said) -> str:
        """A typed sentence in each of the page's languages."""
        worded = [said.words(partial(_translated, language)) for language in self.languages]
        return " / ".join(dict.fromkeys(worded))

    def when(self, iso: str) -> str:
        """A UTC time from the log, as the page's language writes it (QLocale): 2026-11-29 23 h 40 in French."""
        moment = QDateTime.fromString(iso[:19], Qt.DateFormat.ISODate)
        if not moment.isValid():
            return iso[:19].replace("T", " ")
        if len(self.languages) > 1:  # ISO 8601 reads the same in both languages, and says it once
            return moment.toString("yyyy-MM-dd HH:mm")
        return QLocale(self.languages[0].locale_name).toString(moment, QLocale.FormatType.ShortFormat)


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _row(label: str, value: object) -> str:
    return f"<tr><td class='label'>{_e(label)}</td><td>{_e(value)}</td></tr>"


def _account_lock_banner(doc: ChecklistDocument, w: _Words) -> str:
    """A phone still tied to its user's account is said so plainly, above everything else on the page:
    the returning user has something to do before the depot can reset it."""
    locked = [item for item in doc.items if item.get("check") == "no_account_lock" and item["status"] == "fail"]
    if not locked:
        return ""
    heading = w(QT_TRANSLATE_NOOP("Checklist", "ACCOUNT LOCK"))
    return f"<p class='banner' style='background:#b35c00; color:white'>{heading}: {_e(w.evidence(locked[0]))}</p>"


def _simulated_banner(doc: ChecklistDocument, w: _Words) -> str:
    """A page about a simulated phone says so first and loudest: it must never pass for a real device's."""
    if not doc.simulated:
        return ""
    said = _e(w(QT_TRANSLATE_NOOP("Checklist", "SIMULATED PHONE — not a real device")))
    return f"<p class='banner' style='background:#5a2d82; color:white'>{said}</p>"


def _run_by(doc: ChecklistDocument, w: _Words) -> str:
    """Who ran the checklist: the operator whose PIN was checked, or plainly nobody."""
    if doc.run_by:
        return w(QT_TRANSLATE_NOOP("Checklist", "{name} (badge {badge}), PIN checked"), name=doc.run_by["name"], badge=doc.run_by["badge"])
    if doc.operator:  # a checklist recorded before the station said whose PIN it checked
        return doc.operator
    return w(QT_TRANSLATE_NOOP("Checklist", "no authenticated operator"))


def _seal_rows(doc: ChecklistDocument, w: _Words) -> str:
    """Sealed, when the station saw its access end and how an Android phone went out; or why not."""
    seal = doc.seal
    if seal is None:
        return ""
    if not seal.sealed:
        return _row(w(QT_TRANSLATE_NOOP("Checklist", "Not sealed")), w.said(seal.reason))
    handout = {
        Handout.RESTORE_SETTINGS: QT_TRANSLATE_NOOP("Checklist", "Test Harness settings put back"),
        Handout.GUIDED_RESET: QT_TRANSLATE_NOOP("Checklist", "reset to its setup screens, awaiting enrolment"),
    }
    said = w(QT_TRANSLATE_NOOP("Checklist", "yes, at {time} UTC"), time=w.when(seal.time or ""))
    if seal.handout is not None:
        said += "; " + w(handout[seal.handout])
    return _row(w(QT_TRANSLATE_NOOP("Checklist", "Sealed")), said)


def _history_section(doc: ChecklistDocument, w: _Words, limit: int) -> str:
    """The phone's story across the depot in small type, a line per session at a station, so a phone
    provisioned at one bench and returned at another prints as one story. The checklist above is the
    page's point and the page stays one page: a line names the records that tell the story and counts
    the others, and only the newest lines are printed; `station history` lists every record."""
    history = doc.history
    if history is None:
        return ""
    heading = (w(QT_TRANSLATE_NOOP("Checklist", "History of this phone in the depot:")) if history.station is not None
               else w(QT_TRANSLATE_NOOP("Checklist", "History of this phone at this station:")))
    lines, earlier = history_lines(history, limit)
    said = []
    if earlier:
        said.append(_e(w(QT_TRANSLATE_NOOP("Checklist", "earlier sessions not printed: {count}"), count=earlier)))
    for line in lines:
        records = "; ".join((f"{operator}: " if operator else "") + records for operator, records in line.said)
        steps = w(QT_TRANSLATE_NOOP("Checklist", "steps and readings: {count}"), count=line.others)
        others = f" ({steps})" if line.others else ""
        said.append(f"<i>{_e(line.station)}</i>, {_e(w.when(line.time))} UTC, {_e(records)}{_e(others)}")
    if not history.entries:
        said.append(_e(w(QT_TRANSLATE_NOOP("Checklist", "no record of this phone"))))
    if history.error is not None:
        said.append(_e(w(QT_TRANSLATE_NOOP("Checklist", "only this station's records: the depot could not be reached ({error})"),
                         error=history.error)))
    return f"<p class='tiny'><b>{_e(heading)}</b> " + " · ".join(said) + "</p>"


def page_html(doc: ChecklistDocument, qr_url: str, languages: tuple[Language, ...] = (Language.EN, Language.FR),
              history_limit: int = HISTORY_LINES) -> str:
    w = _Words(languages)
    ident = doc.identity
    signed = doc.sign_off
    if signed and signed.get("override"):
        banner = ("#8a5a00", w(QT_TRANSLATE_NOOP("Checklist", "SIGNED OFF BY OVERRIDE: {reason}"), reason=signed["override"]["reason"]))
    elif signed:
        banner = ("#1e7a34", w(QT_TRANSLATE_NOOP("Checklist", "SIGNED OFF: READY FOR HAND-OUT")) if doc.workflow != "return"
                  else w(QT_TRANSLATE_NOOP("Checklist", "SIGNED OFF")))
    else:
        banner = ("#b3261e", w(QT_TRANSLATE_NOOP("Checklist", "NOT SIGNED OFF")) if doc.ready
                  else w(QT_TRANSLATE_NOOP("Checklist", "NOT SIGNED OFF: CHECKLIST NOT PASSED")))

    def kind(item: dict[str, object]) -> str:
        if item.get("action"):
            said = w(QT_TRANSLATE_NOOP("Checklist", "action"))
        elif not item["mandatory"]:
            said = w(QT_TRANSLATE_NOOP("Checklist", "advisory"))
        else:
            return ""
        return f" <i>({_e(said)})</i>"

    def result(status: str) -> str:
        return w(_STATUS_WORD[status]) if status in _STATUS_WORD else status

    items = "".join(
        f"<tr><td>{_e(w.title(item))}{kind(item)}</td>"
        f"<td style='color:{_STATUS_COLOUR.get(item['status'], '#111')}'><b>{_e(result(item['status']))}</b></td>"
        f"<td>{_e(w.evidence(item))}</td></tr>"
        for item in doc.items
    )
    patch = (w(QT_TRANSLATE_NOOP("Checklist", ", security patch {patch}"), patch=ident["security_patch"])
             if ident.get("security_patch") else "")
    phone = "".join([
        _row(w(QT_TRANSLATE_NOOP("Checklist", "Model")), f"{ident.get('manufacturer', '')} {ident.get('model', '')}".strip()),
        _row(w(QT_TRANSLATE_NOOP("Checklist", "Device name")), ident.get("name")) if ident.get("name") else "",
        _row(w(QT_TRANSLATE_NOOP("Checklist", "Serial / UDID")), ident.get("serial")),
        _row(w(QT_TRANSLATE_NOOP("Checklist", "Hardware serial")), ident.get("hardware_serial")) if ident.get("hardware_serial") else "",
        _row(w(QT_TRANSLATE_NOOP("Checklist", "IMEI")), ident.get("imei") or w(QT_TRANSLATE_NOOP("Checklist", "not reported"))),
        _row(w(QT_TRANSLATE_NOOP("Checklist", "Asset tag")), ident.get("asset_tag") or w(QT_TRANSLATE_NOOP("Checklist", "not recorded"))),
        _row(w(QT_TRANSLATE_NOOP("Checklist", "Operating system")), f"{ident.get('platform', '')} {ident.get('os_version', '')}" + patch),
    ])
    policy = doc.policy
    override = signed.get("override") if signed else None
    badge = w(QT_TRANSLATE_NOOP("Checklist", "badge"))
    signer = (f"{signed['operator']} ({badge} {signed['operator_badge']}), {w.when(signed['time'])} UTC" if signed
              else w(QT_TRANSLATE_NOOP("Checklist", "nobody")))
    who = "".join([
        _row(w(QT_TRANSLATE_NOOP("Checklist", "Checklist run by")), _run_by(doc, w)),
        _row(w(QT_TRANSLATE_NOOP("Checklist", "Checked at (UTC)")), w.when(doc.time)),
        _row(w(QT_TRANSLATE_NOOP("Checklist", "Signed off by")), signer),
        _row(w(QT_TRANSLATE_NOOP("Checklist", "Override approved by")),
             f"{override['supervisor']} ({badge} {override['supervisor_badge']})")
        if override else "",
        _seal_rows(doc, w),
    ])
    workflow = {"provision": QT_TRANSLATE_NOOP("Checklist", "provision"), "return": QT_TRANSLATE_NOOP("Checklist", "return")}
    # The record's long hash and signature are printed once, each label in the page's languages.
    labels = [w(QT_TRANSLATE_NOOP("Checklist", "Log record")), w(QT_TRANSLATE_NOOP("Checklist", "station")),
              w(QT_TRANSLATE_NOOP("Checklist", "hash")), w(QT_TRANSLATE_NOOP("Checklist", "Ed25519 signature"))]
    values = [doc.record_seq, doc.station_id, doc.record_hash, doc.record_signature]
    check = w(QT_TRANSLATE_NOOP("Checklist", "Check it with `station log verify --record {seq}` or scan the QR code."), seq=doc.record_seq)
    footer = "; ".join(f"{_e(label)} {_e(value)}" for label, value in zip(labels, values, strict=True)) + ". " + _e(check)
    heading = {key: _e(w(text)) for key, text in (
        ("title", QT_TRANSLATE_NOOP("Checklist", "Phone compliance checklist")), ("phone", QT_TRANSLATE_NOOP("Checklist", "Phone")),
        ("policy", QT_TRANSLATE_NOOP("Checklist", "Policy and workflow")), ("checklist", QT_TRANSLATE_NOOP("Checklist", "Checklist")),
        ("item", QT_TRANSLATE_NOOP("Checklist", "Item")), ("result", QT_TRANSLATE_NOOP("Checklist", "Result")),
        ("evidence", QT_TRANSLATE_NOOP("Checklist", "Evidence")), ("who", QT_TRANSLATE_NOOP("Checklist", "Who and when")),
    )}
    station = f"{_e(labels[1])} {_e(doc.station_id)}"
    record = _e(w(QT_TRANSLATE_NOOP("Checklist", "log record {seq}"), seq=doc.record_seq))
    rules = "".join([
        _row(w(QT_TRANSLATE_NOOP("Checklist", "Policy")), f"{policy.get('name') or policy.get('id')}"),
        _row(w(QT_TRANSLATE_NOOP("Checklist", "Version")), policy.get("version")),
        _row(w(QT_TRANSLATE_NOOP("Checklist", "Policy file SHA-256")), policy.get("sha256")),
        _row(w(QT_TRANSLATE_NOOP("Checklist", "Workflow")), w(workflow[doc.workflow]) if doc.workflow in workflow else doc.workflow),
    ])
    return f"""
<h1>{heading['title']}</h1>
{_simulated_banner(doc, w)}
<p class='small'>{_e(doc.depot)}, {station}, Depot Station {_e(doc.station_version)}</p>
<p class='banner' style='background:{banner[0]}; color:white'>{_e(banner[1])}</p>
{_account_lock_banner(doc, w)}
<table width='100%'><tr><td width='70%' valign='top'>
<h2>{heading['phone']}</h2><table class='grid'>{phone}</table>
</td><td align='right' valign='top'><img src='{qr_url}' width='115' height='115'><br>
<span class='small'>{record}</span></td></tr></table>
<h2>{heading['policy']}</h2>
<table class='grid'>{rules}</table>
<h2>{heading['checklist']}</h2>
<table class='grid'><tr><th width='40%'>{heading['item']}</th><th width='15%'>{heading['result']}</th>
<th>{heading['evidence']}</th></tr>{items}</table>
<h2>{heading['who']}</h2><table class='grid'>{who}</table>
{_history_section(doc, w, history_limit)}
<p class='tiny'>{footer}</p>
"""


def _qr_image(doc: ChecklistDocument) -> QImage:
    buffer = io.BytesIO()
    segno.make(doc.verify_code, error="m").save(buffer, kind="png", scale=6, border=2)
    image = QImage()
    image.loadFromData(buffer.getvalue(), "PNG")
    return image


_LETTER = QPageLayout(QPageSize(QPageSize.PageSizeId.Letter), QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0),
                      QPageLayout.Unit.Millimeter)
# The page in the document's own units (Qt lays a document out at 96 dots an inch and scales it to the
# printer): given a size, QTextDocument.print_ keeps this margin instead of its default 2 cm, which
# leaves room for a bilingual checklist, its seal and the phone's story on one page.
_PAGE = QSizeF(8.5 * 96, 11 * 96)
_MARGIN = 1.1 / 2.54 * 96  # 1.1 cm


def _document(language: ReportLanguage) -> QTextDocument:
    text = QTextDocument()
    text.setPageSize(_PAGE)
    text.setDocumentMargin(_MARGIN)
    text.setDefaultStyleSheet(_CSS % (_SIZES_BILINGUAL if len(language.languages) > 1 else _SIZES))
    return text


class _PageCounter(QPdfWriter):
    """A PDF written to memory only to count its pages."""

    def __init__(self, buffer: QBuffer) -> None:
        super().__init__(buffer)
        self.pages = 1

    def newPage(self) -> bool:  # noqa: N802 - Qt's name; QTextDocument.print_ calls it between pages
        self.pages += 1
        return super().newPage()


def _one_page(page: str, url: str, qr: QImage, language: ReportLanguage, resolution: int) -> bool:
    """Whether ``page`` prints on one page, found by printing it to memory: QTextDocument.pageCount()
    without printing lays type out a little tighter than the printer does, and said one page for pages
    whose last line went onto a second."""
    trial = _document(language)
    trial.addResource(QTextDocument.ResourceType.ImageResource, QUrl(url), qr)
    trial.setHtml("<html><body>" + page + "</body></html>")
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    counter = _PageCounter(buffer)
    counter.setResolution(resolution)
    counter.setPageLayout(_LETTER)
    trial.print_(counter)
    return counter.pages <= 1


def build(docs: list[ChecklistDocument], language: ReportLanguage = ReportLanguage.BOTH,
          device: QPagedPaintDevice | None = None) -> QTextDocument:
    """One QTextDocument with a page per phone (needs a QGuiApplication). Given the ``device``, a page
    whose history would run onto a second page prints fewer of its lines."""
    text = _document(language)
    pages = []
    for number, doc in enumerate(docs):
        url = f"qr://record/{doc.record_seq}"
        qr = _qr_image(doc)
        text.addResource(QTextDocument.ResourceType.ImageResource, QUrl(url), qr)
        page = page_html(doc, url, language.languages)
        lines = HISTORY_LINES
        while (doc.history is not None and lines > 0 and device is not None
               and not _one_page(page, url, qr, language, device.logicalDpiY())):
            lines -= 1
            page = page_html(doc, url, language.languages, lines)
        breaker = " style='page-break-after: always'" if number < len(docs) - 1 else ""
        pages.append(f"<div{breaker}>{page}</div>")
    text.setHtml("<html><body>" + "".join(pages) + "</body></html>")
    return text


def print_to(docs: list[ChecklistDocument], device: QPagedPaintDevice, language: ReportLanguage = ReportLanguage.BOTH) -> None:
    """Lay the pages out on ``device``: a QPdfWriter, or a QPrinter from Qt's print dialog."""
    device.setPageLayout(_LETTER)
    build(docs, language, device).print_(device)


def write_pdf(docs: list[ChecklistDocument], path: Path, language: ReportLanguage = ReportLanguage.BOTH) -> None:
    writer = QPdfWriter(str(path))
    writer.setResolution(300)
    writer.setTitle(_Words(language.languages)(QT_TRANSLATE_NOOP("Checklist", "Phone compliance checklist")))
    writer.setCreator("Depot Station")
    print_to(docs, writer, language)
