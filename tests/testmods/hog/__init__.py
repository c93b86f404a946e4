"""Test module type hog."""
