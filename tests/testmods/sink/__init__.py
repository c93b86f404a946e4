"""Test module type sink."""
