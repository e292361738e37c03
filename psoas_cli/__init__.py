"""psoas: guided psoas stretch routines in the terminal.

The package root stays import-light: the CLI imports it on every start.
"""

__version__ = "0.1.0"
