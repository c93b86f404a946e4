"""Test module type mutates_options."""
