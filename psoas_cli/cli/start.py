"""Where ``psoas`` starts: the command line loaded and run inside one ``try``.

Everything else loads from here (Click and the root group: about 40 ms), so
Ctrl-C at any moment of starting, before a command has its own handling,
ends psoas as an interrupted command does, with status 130 and no traceback.
(Before this module runs, Python is still starting: the launcher pip writes,
``import re`` and the like, which psoas can't reach.)

Python swallows an exception raised in a weakref callback or a ``__del__``
(it prints "Exception ignored ..." and goes on), and a Ctrl-C can land in
one while modules load: such a Ctrl-C is noted instead of printed, so it is
not lost (the player's keyboard, keys.Keyboard, reads the note and stops at
once; a command that ends without one exits 130).
"""

import gc
import os
import signal
import sys  # loaded already by Python itself, as os is; signal too, nearly

INTERRUPTED = 130  # 128 + SIGINT, as cli/errors.ExitStatus.INTERRUPTED

# Loading Click, Rich and psoas makes some 100,000 objects, nearly all kept
# for the whole run; at Python's usual threshold (700 objects made and not
# freed) the young generation is swept some 45 times while they load.  psoas
# makes few reference cycles (a second of the player makes none), so a
# higher threshold sweeps as surely, less often: 3-4 ms less CPU before the
# first frame of 110.  Not higher: at 50,000 the garbage of loading stays
# long enough to raise the player's peak memory by 0.2 MiB; at 10,000 it
# is as before.
YOUNG_THRESHOLD = 10_000


def _before_main(signum: int, frame: object) -> None:
    """Ctrl-C between this import and main(): nothing has started, nothing to
    put back; out at once, as a Ctrl-C in main would end."""
    os._exit(INTERRUPTED)


# The launcher pip writes imports main, then works on its arguments (a regular
# expression, a few ms) before calling it: a Ctrl-C there would be a traceback
# from the launcher.  Only as that launcher (a test importing this module keeps
# Python's own handler).
if os.path.basename(sys.argv[0]) in ("psoas", "psoas.exe", "psoas-script.py"):
    signal.signal(signal.SIGINT, _before_main)


class Interrupt:
    """Ctrl-C until a command handles it itself: KeyboardInterrupt, as Python's
    own handler raises it; ``lost`` once Python has swallowed one."""

    lost = False

    def __call__(self, signum: int, frame: object) -> None:
        raise KeyboardInterrupt


def main() -> None:
    handler = Interrupt()
    gc.set_threshold(YOUNG_THRESHOLD, *gc.get_threshold()[1:])
    try:
        signal.signal(signal.SIGINT, handler)
        sys.unraisablehook = _noting_interrupts(sys.unraisablehook, handler)
        # noqa below: loaded inside the try so Ctrl-C while it loads (~40 ms) is caught
        from psoas_cli.cli.main import main as run  # noqa: PLC0415

        run()
    except KeyboardInterrupt:
        sys.exit(INTERRUPTED)
    except RuntimeError as exc:  # Python wraps one raised in __set_name__, say
        if _caused_by_interrupt(exc):
            sys.exit(INTERRUPTED)
        raise
    except SystemExit as exc:  # a Ctrl-C that Python swallowed: still an interrupt
        if handler.lost and not exc.code:
            sys.exit(INTERRUPTED)
        raise


def _noting_interrupts(hook, handler: Interrupt):  # type: ignore[no-untyped-def]
    """``hook`` for every unraisable exception but a Ctrl-C, which is noted."""

    def noting(unraisable):  # type: ignore[no-untyped-def]
        if issubclass(unraisable.exc_type, KeyboardInterrupt):
            handler.lost = True
        else:
            hook(unraisable)

    return noting


def _caused_by_interrupt(exc: BaseException) -> bool:
    seen = exc
    for _ in range(10):
        seen = seen.__cause__ or seen.__context__  # type: ignore[assignment]
        if seen is None:
            return False
        if isinstance(seen, KeyboardInterrupt):
            return True
    return False
