"""Test module type seed/second."""
