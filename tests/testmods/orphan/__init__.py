"""Test module type orphan."""
