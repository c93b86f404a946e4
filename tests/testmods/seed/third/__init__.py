"""Test module type seed/third."""
