"""psoas remind's screen, its loop, and notifications."""
