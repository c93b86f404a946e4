"""Test module type shells_out."""
