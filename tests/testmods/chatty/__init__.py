"""Test module type chatty."""
