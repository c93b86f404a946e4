"""Test module type pair."""
