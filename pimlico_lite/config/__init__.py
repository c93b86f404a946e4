"""The config language: parsing with preprocessing directives and vars, into located raw sections."""

from pimlico_lite.config.reader import RawSection, RawValue, Sources, read_config

__all__ = ["RawSection", "RawValue", "Sources", "read_config"]
