"""Playing: a routine fitted and laid out as timed phases, the engine that counts
them down on an injected clock, the events it reports, and every word for them.

Pure Python: no terminal, no disk.
"""
