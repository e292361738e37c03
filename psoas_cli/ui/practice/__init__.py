"""The practice's screens: the self-test's card and questions, and check-ins."""
