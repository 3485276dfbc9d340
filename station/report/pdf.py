"""The printed checklist: one page per phone, made with Qt's QTextDocument and QPdfWriter (or a printer).

Every string that came from a phone or an operator is escaped before it goes into the page, so a device
name with markup in it prints as the characters it is.
"""

from __future__ import annotations

import html
import io
from pathlib import Path

import segno
from PySide6.QtCore import QMarginsF, QUrl
from PySide6.QtGui import QImage, QPagedPaintDevice, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from station.report.document import ChecklistDocument

_STATUS_COLOUR = {"pass": "#1e7a34", "fixed": "#1e7a34", "fail": "#b3261e", "skipped": "#5b6b7a"}
_STATUS_WORD = {"pass": "PASS", "fixed": "FIXED", "fail": "FAIL", "skipped": "N/A"}
_CSS = """
body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 8.5pt; color: #111; }
h1 { font-size: 15pt; margin: 0; }
h2 { font-size: 10.5pt; margin-top: 6px; margin-bottom: 2px; color: #333; }
table.grid { border-collapse: collapse; width: 100%; }
table.grid td, table.grid th { border: 1px solid #999; padding: 2px 4px; vertical-align: top; }
table.grid th { background: #e8ebef; text-align: left; }
td.label { color: #555; width: 28%; }
.small { font-size: 7.5pt; color: #444; }
.tiny { font-size: 6.5pt; color: #444; }
.banner { font-size: 12pt; font-weight: bold; padding: 4px; }
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _row(label: str, value: object) -> str:
    return f"<tr><td class='label'>{_e(label)}</td><td>{_e(value)}</td></tr>"


def _account_lock_banner(doc: ChecklistDocument) -> str:
    """A phone still tied to its user's account is said so plainly, above everything else on the page:
    the returning user has something to do before the depot can reset it."""
    locked = [item for item in doc.items if item.get("check") == "no_account_lock" and item["status"] == "fail"]
    if not locked:
        return ""
    return (f"<p class='banner' style='background:#b35c00; color:white'>ACCOUNT LOCK: {_e(locked[0]['evidence'])}</p>")


def page_html(doc: ChecklistDocument, qr_url: str) -> str:
    ident = doc.identity
    signed = doc.sign_off
    if signed and signed.get("override"):
        banner = ("#8a5a00", f"SIGNED OFF BY OVERRIDE: {signed['override']['reason']}")
    elif signed:
        banner = ("#1e7a34", "SIGNED OFF: READY FOR HAND-OUT" if doc.workflow != "return" else "SIGNED OFF")
    else:
        banner = ("#b3261e", "NOT SIGNED OFF" + ("" if doc.ready else ": CHECKLIST NOT PASSED"))
    def kind(item: dict[str, object]) -> str:
        if item.get("action"):
            return " <i>(action)</i>"
        return "" if item["mandatory"] else " <i>(advisory)</i>"

    items = "".join(
        f"<tr><td>{_e(item['title'])}{kind(item)}</td>"
        f"<td style='color:{_STATUS_COLOUR.get(item['status'], '#111')}'><b>{_e(_STATUS_WORD.get(item['status'], item['status']))}</b></td>"
        f"<td>{_e(item['evidence'])}</td></tr>"
        for item in doc.items
    )
    phone = "".join([
        _row("Model", f"{ident.get('manufacturer', '')} {ident.get('model', '')}".strip()),
        _row("Device name", ident.get("name")) if ident.get("name") else "",
        _row("Serial / UDID", ident.get("serial")),
        _row("Hardware serial", ident.get("hardware_serial")) if ident.get("hardware_serial") else "",
        _row("IMEI", ident.get("imei") or "not reported"),
        _row("Asset tag", ident.get("asset_tag") or "not recorded"),
        _row("Operating system", f"{ident.get('platform', '')} {ident.get('os_version', '')}"
             + (f", security patch {ident['security_patch']}" if ident.get("security_patch") else "")),
    ])
    policy = doc.policy
    override = signed.get("override") if signed else None
    who = "".join([
        _row("Checklist run by", doc.operator or "not recorded"),
        _row("Checked at (UTC)", doc.time[:19].replace("T", " ")),
        _row(
            "Signed off by",
            f"{signed['operator']} (badge {signed['operator_badge']}), {signed['time'][:19].replace('T', ' ')} UTC" if signed else "nobody",
        ),
        _row("Override approved by", f"{override['supervisor']} (badge {override['supervisor_badge']})") if override else "",
    ])
    return f"""
<h1>Phone compliance checklist</h1>
<p class='small'>{_e(doc.depot)}, station {_e(doc.station_id)}, Depot Station {_e(doc.station_version)}</p>
<p class='banner' style='background:{banner[0]}; color:white'>{_e(banner[1])}</p>
{_account_lock_banner(doc)}
<table width='100%'><tr><td width='70%' valign='top'>
<h2>Phone</h2><table class='grid'>{phone}</table>
</td><td align='right' valign='top'><img src='{qr_url}' width='115' height='115'><br>
<span class='small'>log record {doc.record_seq}</span></td></tr></table>
<h2>Policy and workflow</h2>
<table class='grid'>{_row('Policy', f"{policy.get('name') or policy.get('id')}")}{_row('Version', policy.get('version'))}
{_row('Policy file SHA-256', policy.get('sha256'))}{_row('Workflow', doc.workflow)}</table>
<h2>Checklist</h2>
<table class='grid'><tr><th width='36%'>Item</th><th width='10%'>Result</th><th>Evidence</th></tr>{items}</table>
<h2>Who and when</h2><table class='grid'>{who}</table>
<p class='tiny'>Log record {doc.record_seq} of station {_e(doc.station_id)}; hash {_e(doc.record_hash)};
Ed25519 signature {_e(doc.record_signature)}. Check it with <tt>station log verify --record {doc.record_seq}</tt>
or scan the QR code.</p>
"""


def _qr_image(doc: ChecklistDocument) -> QImage:
    buffer = io.BytesIO()
    segno.make(doc.verify_code, error="m").save(buffer, kind="png", scale=6, border=2)
    image = QImage()
    image.loadFromData(buffer.getvalue(), "PNG")
    return image


def build(docs: list[ChecklistDocument]) -> QTextDocument:
    """One QTextDocument with a page per phone (needs a QGuiApplication)."""
    text = QTextDocument()
    text.setDocumentMargin(0)
    text.setDefaultStyleSheet(_CSS)
    pages = []
    for number, doc in enumerate(docs):
        url = f"qr://record/{doc.record_seq}"
        text.addResource(QTextDocument.ResourceType.ImageResource, QUrl(url), _qr_image(doc))
        breaker = " style='page-break-after: always'" if number < len(docs) - 1 else ""
        pages.append(f"<div{breaker}>{page_html(doc, url)}</div>")
    text.setHtml("<html><body>" + "".join(pages) + "</body></html>")
    return text


def print_to(docs: list[ChecklistDocument], device: QPagedPaintDevice) -> None:
    """Lay the pages out on ``device``: a QPdfWriter, or a QPrinter from Qt's print dialog."""
    # QTextDocument.print_ adds its own 2 cm margin around the page; the layout adds none.
    layout = QPageLayout(
        QPageSize(QPageSize.PageSizeId.Letter), QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter
    )
    device.setPageLayout(layout)
    build(docs).print_(device)


def write_pdf(docs: list[ChecklistDocument], path: Path) -> None:
    writer = QPdfWriter(str(path))
    writer.setResolution(300)
    writer.setTitle("Phone compliance checklist" + ("s" if len(docs) > 1 else ""))
    writer.setCreator("Depot Station")
    print_to(docs, writer)
