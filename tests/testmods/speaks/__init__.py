"""Test module type speaks."""
