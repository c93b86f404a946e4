"""Test module type corpus_reader."""
