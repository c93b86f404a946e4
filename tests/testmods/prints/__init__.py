"""Test module type prints."""
