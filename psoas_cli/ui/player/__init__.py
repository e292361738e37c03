"""The live player's screen and the plain line-by-line player, and putting a run together."""
