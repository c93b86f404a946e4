"""Test module type progress."""
