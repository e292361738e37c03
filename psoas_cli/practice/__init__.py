"""The practice over weeks: self-tests, check-ins, progress readings and
programs (pure: they read the history's records, never the terminal)."""
