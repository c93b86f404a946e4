"""Test module type step."""
