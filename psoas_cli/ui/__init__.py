"""The terminal edge: everything that draws on or reads from the terminal.

These modules may import Rich and termios; the core never imports them.
"""
