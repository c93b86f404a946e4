"""Test module type fail."""
