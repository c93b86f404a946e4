"""An executor written as a plain class."""


class ModuleExecutor:
    def execute(self) -> None:
        """Never called."""
