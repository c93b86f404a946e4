"""Test module type spin."""
