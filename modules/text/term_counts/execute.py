"""Execute the term_counts module type."""

from collections import Counter

from pimlico_lite import BaseModuleExecutor
from pimlico_lite.datatypes import DatasetValue


class ModuleExecutor(BaseModuleExecutor):
    """Stream the corpus into a sparse matrix, a document (row) at a time."""

    def execute(self) -> None:
        """Count."""
        import numpy as np
        from scipy import sparse

        vocabulary = [word for word, _ in self.read_input("vocabulary")]
        ids = {word: index for index, word in enumerate(vocabulary)}
        rows: list[int] = []
        columns: list[int] = []
        values: list[int] = []
        names: list[str] = []
        for row, (name, tokens) in enumerate(self.progress(self.read_input("tokens"))):
            counts = Counter(ids[token] for token in tokens if token in ids)
            for column, count in sorted(counts.items()):
                rows.append(row)
                columns.append(column)
                values.append(1 if self.options["binary"] else count)
            names.append(name)
        shape = (len(names), len(vocabulary))
        features = sparse.csr_matrix((np.array(values, dtype=float), (rows, columns)), shape=shape)
        data = DatasetValue(features, feature_names=tuple(vocabulary), row_names=tuple(names))
        if self.options["target"] == "folder":
            labels = [name.partition("/")[0] if "/" in name else "" for name in names]
            if "" in labels:
                message = f"target = folder: document '{names[labels.index('')]}' has no folder in its name"
                raise ValueError(message)
            classes = sorted(set(labels))
            index = {label: position for position, label in enumerate(classes)}
            target = np.array([index[label] for label in labels])
            data = data.replace(target=target, target_names=tuple(classes), task="classification")
        self.write_output("data", data)
        self.log.info("%d documents x %d words, %d non-zero counts", shape[0], shape[1], len(values))
