"""What the station says about the PC's own means of seeing phones (usbmuxd, libusb, an adb server, its
device process), as typed notices: the CLI and the log print their English, the window words each kind
in the operator's language (station/gui/words.py), never by reading the English back."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class NoticeKind(StrEnum):
    NO_USBMUXD = "no_usbmuxd"
    USBMUXD_ENDED = "usbmuxd_ended"  # count: iPhones it had listed; detail: how the connection ended
    NOT_A_UDID = "not_a_udid"  # detail: the id usbmuxd announced
    NO_LIBUSB = "no_libusb"  # detail: the loader's error, when there is one
    USB_NOT_INSTALLED = "usb_not_installed"  # detail: the import error
    ADB_SERVER = "adb_server"  # count: its port
    USB_PERMISSION = "usb_permission"
    USB_BUSY = "usb_busy"
    USB_UNPLUGGED = "usb_unplugged"
    USB_FAILED = "usb_failed"  # detail: libusb's error
    DEVICE_PROCESS_STOPPED = "device_process_stopped"


IPHONE_NOTICES = frozenset({NoticeKind.NO_USBMUXD, NoticeKind.USBMUXD_ENDED, NoticeKind.NOT_A_UDID})
STATION_NOTICES = frozenset({NoticeKind.DEVICE_PROCESS_STOPPED})  # the rest are about Android phones on USB

ENGLISH = {
    NoticeKind.NO_USBMUXD: "no usbmuxd answers on this PC, so iPhones cannot be seen. Linux: sudo apt install usbmuxd; "
                           "Windows: install Apple Devices (or iTunes); macOS has it built in",
    NoticeKind.USBMUXD_ENDED: "usbmuxd ended its connection ({detail}) with {count} iPhone(s) listed: they show as unplugged "
                              "until it lists them again. If this repeats with many iPhones plugged in, restart usbmuxd or plug "
                              "fewer iPhones into this PC (usbmuxd on some systems fails above about 30: pymobiledevice3 "
                              "issue 1208, tidevice issue 174)",
    NoticeKind.NOT_A_UDID: "usbmuxd announced a device whose id {detail!r} is not an iPhone UDID; it is ignored",
    NoticeKind.NO_LIBUSB: "USB discovery needs the libusb-1.0 library, which is not installed (Debian/Ubuntu: sudo apt install "
                          "libusb-1.0-0; macOS: brew install libusb; Windows: it ships with the station)",
    NoticeKind.USB_NOT_INSTALLED: "USB support is not installed ({detail}); reinstall the station",
    NoticeKind.ADB_SERVER: "an adb server is running on this PC (port {count}) and holds every phone's USB interface; "
                           "run `adb kill-server` and close tools that restart it (Android Studio, scrcpy)",
    NoticeKind.USB_PERMISSION: "this user may not open the phone's USB device. On Linux install udev rules for Android phones "
                               "(Debian/Ubuntu: sudo apt install android-sdk-platform-tools-common), add yourself to the plugdev "
                               "group, log out and in, then replug the phone",
    NoticeKind.USB_BUSY: "another program holds the phone's USB interface; usually an adb server: run `adb kill-server` "
                         "(and close Android Studio or other phone tools), then replug the phone",
    NoticeKind.USB_UNPLUGGED: "the phone was unplugged while the station opened it; plug it back in",
    NoticeKind.USB_FAILED: "the USB device could not be used ({detail})",
    NoticeKind.DEVICE_PROCESS_STOPPED: "the station's device process has stopped: close the station and start it again",
}


@dataclass(frozen=True)
class Notice:
    kind: NoticeKind
    detail: str = ""
    count: int = 0

    def __str__(self) -> str:
        text = ENGLISH[self.kind].format(detail=self.detail[:200], count=self.count)
        if self.kind is NoticeKind.NO_LIBUSB and self.detail:
            text += f" ({self.detail[:200]})"
        return text
