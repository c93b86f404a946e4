"""Test module type own_files."""
