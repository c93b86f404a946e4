"""Execute the columns module type."""

from pimlico_lite import BaseModuleExecutor
from pimlico_lite.datatypes import DatasetValue
from pimlico_lite.errors import OptionError, did_you_mean


def column_positions(data: DatasetValue, columns: list[str], key: str) -> list[int]:
    """The position of each named or numbered column; fail on an unknown one (an error of the config key ``key``),
    saying which columns there are."""
    names = list(data.feature_names) or [str(index) for index in range(data.n_features)]
    positions = []
    for column in columns:
        if column in names:
            positions.append(names.index(column))
        elif column.isdigit() and int(column) < data.n_features:
            positions.append(int(column))
        else:
            shown = ", ".join(names[:20]) + (", ..." if len(names) > 20 else "")
            raise OptionError(key, f"no column '{column}'{did_you_mean(column, names)}; columns: {shown}")
    return positions


class ModuleExecutor(BaseModuleExecutor):
    """Pick the columns and write the narrower data set."""

    def execute(self) -> None:
        """Select."""
        data = self.read_input("data")
        positions = column_positions(data, self.options["columns"], self.option_key("columns"))
        if self.options["drop"]:
            positions = [index for index in range(data.n_features) if index not in set(positions)]
        if not positions:
            raise OptionError(self.option_key("columns"), "no column would be left")
        names = tuple(data.feature_names[index] for index in positions) if data.feature_names else ()
        self.write_output("data", data.replace(features=data.features[:, positions], feature_names=names))
        self.log.info("kept %d of %d columns", len(positions), data.n_features)
