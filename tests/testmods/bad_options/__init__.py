"""Test module type bad_options."""
