"""Test module type misnamed_execute."""
