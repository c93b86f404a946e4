"""Test module type unwritable."""
