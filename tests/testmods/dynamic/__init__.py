"""Test module type dynamic."""
