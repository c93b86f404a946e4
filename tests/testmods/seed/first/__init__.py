"""Test module type seed/first."""
