"""The command line: the Click group, the App, and one module per command group.

Only this package imports Click.  ``main.py`` holds the root group and the
lazy command table; each command module holds Click declarations only, and
what a command does is in ``actions/``.
"""
