"""Test module type appends_option."""
