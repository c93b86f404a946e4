"""Test module type broken_info."""
