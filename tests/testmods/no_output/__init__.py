"""Test module type no_output."""
