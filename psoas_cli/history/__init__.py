"""The history: sessions and breaks in SQLite, written off the timer's thread, kept
in a journal when the database is busy, and read back as reports and streaks.
"""
