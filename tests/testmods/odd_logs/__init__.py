"""Test module type no_executor."""
