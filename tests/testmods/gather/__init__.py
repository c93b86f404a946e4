"""Test module type gather."""
