"""Execute the sample module type."""

from pimlico_lite.modules.data.rows import choose_rows

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    """Choose the rows and write them."""

    def execute(self) -> None:
        """Sample."""
        data = self.read_input("data")
        rows = choose_rows(data, self.options["size"], self.options["seed"], self.options["stratify"])
        self.write_output("data", data.rows(rows))
        self.log.info("kept %d of %d rows", len(rows), data.n_rows)
