"""Module type: a folder of text files, as a text corpus."""
