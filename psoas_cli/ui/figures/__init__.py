"""Pose figures drawn as character cells, and as Rich text."""
