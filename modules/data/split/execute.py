"""Execute the split module type."""

from pimlico_lite.modules.data.rows import split_rows

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    """Choose the test rows, then write both sets."""

    def execute(self) -> None:
        """Split."""
        data = self.read_input("data")
        train, test = split_rows(data, self.options["test_size"], self.options["seed"], self.options["stratify"])
        self.write_output("train", data.rows(train))
        self.write_output("test", data.rows(test))
        self.log.info("%d rows: %d to train, %d to test", data.n_rows, len(train), len(test))
