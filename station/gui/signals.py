"""The one bridge from the bench's thread to the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class BenchSignals(QObject):
    """Emitted from the bench's thread; Qt queues each emission to the receiver's (GUI) thread."""

    # an engine event (station.core.events.Event). The name hides QObject.event() from Python only: Qt still
    # dispatches this object's QEvents to the C++ QObject::event (a Signal is not a method override).
    # Renaming it would change main_window.py, app.py, screenshot.py and tests/gui/conftest.py.
    event = Signal(object)  # type: ignore[assignment]  # a signal named like QObject's event() method, see above
    # (serial, History: the phone's entries from every station of the depot) answering a history request
    history = Signal(str, object)
    # (search term, History) answering a search
    found = Signal(str, object)
    # the station's link to its depot (DepotLink, or None when it has joined none), answering depot_status
    depot = Signal(object)
    # checklist documents (list of ChecklistDocument) ready to print
    documents = Signal(object)
    # a Notice about what the station cannot reach (usbmuxd, USB) or its device process
    notice = Signal(object)
    # the station's operators (list of Operator), answering a sign-in
    operators = Signal(object)
    # the station's operators (list of Operator), for the operators window
    staff = Signal(object)
    # the Operator whose PIN was accepted
    signed_in = Signal(object)
    # (Operator, their current PIN): the PIN was right but shorter than the rule, a new one must be set first
    pin_change_needed = Signal(object, str)
    # (address, checklist row, sign-off record number, operator name)
    signed_off = Signal(str, int, int, str)
    # (what was refused, why): a wrong PIN, a locked operator, a checklist that did not pass
    refused = Signal(str, str)
