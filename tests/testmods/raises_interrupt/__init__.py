"""Test module type raises_interrupt."""
