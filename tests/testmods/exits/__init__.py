"""Test module type exits."""
