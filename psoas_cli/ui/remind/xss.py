"""X11 without xprintidle: the screensaver extension's idle time from libXss,
through ctypes (loaded only here: see idle._xss_open)."""

from __future__ import annotations

import ctypes
from collections.abc import Callable


class _XssInfo(ctypes.Structure):
    _fields_ = [("window", ctypes.c_ulong), ("state", ctypes.c_int), ("kind", ctypes.c_int),
                ("til_or_since", ctypes.c_ulong), ("idle", ctypes.c_ulong),
                ("event_mask", ctypes.c_ulong)]


class XssIdle:
    """X11 without xprintidle: XScreenSaverQueryInfo from libXss, through ctypes.

    The display is opened once and kept.  Made by ``open``, which returns
    None where either library or the display is missing.
    """

    name = "X11 (the screensaver extension, through libXss)"

    def __init__(self, x11: ctypes.CDLL, xss: ctypes.CDLL, display: int) -> None:
        self.x11, self.xss, self.display = x11, xss, display
        self.root = x11.XDefaultRootWindow(display)
        self.info = ctypes.cast(xss.XScreenSaverAllocInfo(), ctypes.POINTER(_XssInfo))

    @classmethod
    def open(cls, display_name: str,
             load: Callable[[str], ctypes.CDLL] = ctypes.CDLL) -> XssIdle | None:
        try:
            x11, xss = load("libX11.so.6"), load("libXss.so.1")
        except OSError:
            return None
        x11.XOpenDisplay.restype = ctypes.c_void_p
        x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x11.XDefaultRootWindow.restype = ctypes.c_ulong
        x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        xss.XScreenSaverAllocInfo.restype = ctypes.c_void_p
        xss.XScreenSaverQueryInfo.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_void_p]
        xss.XScreenSaverQueryExtension.argtypes = [ctypes.c_void_p, ctypes.c_void_p,
                                                   ctypes.c_void_p]
        display = x11.XOpenDisplay(display_name.encode())
        if not display:
            return None
        event, error = ctypes.c_int(), ctypes.c_int()
        if not xss.XScreenSaverQueryExtension(display, ctypes.byref(event), ctypes.byref(error)):
            return None
        return cls(x11, xss, display)

    def idle_seconds(self) -> float | None:
        if not self.xss.XScreenSaverQueryInfo(self.display, self.root, self.info):
            return None
        return self.info.contents.idle / 1000
