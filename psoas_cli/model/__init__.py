"""The models: the catalogue of stretches, routines, levels, names and pose figures.

Pure data checked once when it is loaded; no I/O, no clock, no terminal.
"""
