"""Stand-ins for standard-library features whose older versions cost more than pimlico_lite can spend."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING or sys.version_info >= (3, 12):
    from functools import cached_property as cached_property
else:

    class cached_property:  # noqa: N801 (the standard library's name)
        """``functools.cached_property`` as Python 3.12 has it, without the lock that 3.10 and 3.11 take on each first
        access (one lock for every instance of the class). The lock cost ``status`` of 1000 modules 1.4% of its
        instructions."""

        def __init__(self, function):
            self.function = function
            self.__doc__ = function.__doc__

        def __set_name__(self, owner, name):
            self.name = name

        def __get__(self, instance, owner=None):
            if instance is None:
                return self
            value = instance.__dict__[self.name] = self.function(instance)
            return value
