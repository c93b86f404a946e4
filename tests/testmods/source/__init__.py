"""Test module type source."""
