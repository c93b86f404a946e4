"""Test module type catches_interrupt."""
