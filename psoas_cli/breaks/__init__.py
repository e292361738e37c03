"""Break reminders: durations, break hours, the schedule as a state machine, and
the breaks counted and logged in the history.
"""
