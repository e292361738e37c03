"""The command line: the Click group, the App object, and one module per command group.

Only this package imports Click.  ``main.py`` holds the root group; commands
load on demand.
"""
