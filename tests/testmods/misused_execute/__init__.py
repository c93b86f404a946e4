"""Test module type misused_execute."""
