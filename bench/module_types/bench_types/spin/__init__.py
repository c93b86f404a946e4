"""Module type spin: CPU-bound work in pure Python (it holds the GIL), then a few bytes."""
