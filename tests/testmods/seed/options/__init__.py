"""Test module type seed/options."""
