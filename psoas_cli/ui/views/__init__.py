"""The static views: the catalogue, routines, plans, summaries, history and home page."""
