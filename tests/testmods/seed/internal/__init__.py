"""Test module type seed/internal."""
