"""data.split: seeded, stratified train and test sets."""

from __future__ import annotations

from tests.modules.conftest import BUNDLED, IRIS, RunPipeline


def test_the_split_is_stratified_disjoint_and_complete(run_pipeline: RunPipeline) -> None:
    ran = run_pipeline(IRIS + f"\n[split]\ntype = {BUNDLED}.data.split\ntest_size = 0.2\n")
    train, test = ran.output("split", "train"), ran.output("split", "test")
    assert (train.n_rows, test.n_rows) == (120, 30)
    assert [test.target.tolist().count(label) for label in range(3)] == [10, 10, 10]
    rows = {tuple(row) for row in train.features.tolist()} | {tuple(row) for row in test.features.tolist()}
    assert len(rows) == len({tuple(row) for row in ran.output("iris").features.tolist()})
    assert train.target_names == ("setosa", "versicolor", "virginica")


def test_the_same_seed_gives_the_same_split_and_a_count_is_a_number_of_rows(run_pipeline: RunPipeline) -> None:
    split = f"type = {BUNDLED}.data.split\ntest_size = 15\nseed = 3\n"
    ran = run_pipeline(IRIS + f"\n[a]\n{split}input = iris\n\n[b]\n{split}input = iris\n")
    assert ran.output("a", "test").n_rows == 15
    assert ran.output("a", "test").features.tolist() == ran.output("b", "test").features.tolist()


def test_a_test_set_of_every_row_is_refused(run_pipeline: RunPipeline) -> None:
    ran = run_pipeline(IRIS + f"\n[split]\ntype = {BUNDLED}.data.split\ntest_size = 150\n", expect_failure=True)
    assert ran.error("split") == f"{ran.where('test_size', 'split')} 150.0 leaves no rows to train on (150 rows)"


def test_the_sets_are_scikit_learns_train_test_split_rows_order_and_rounding(run_pipeline: RunPipeline) -> None:
    """0.3 of wine's 178 rows is 53.4: scikit-learn's test set has 54 rows (it rounds up), in shuffled order."""
    from sklearn.datasets import load_wine
    from sklearn.model_selection import train_test_split

    wine = IRIS.replace("name = iris", "name = wine").replace("[iris]", "[wine]")
    ran = run_pipeline(wine + f"\n[split]\ntype = {BUNDLED}.data.split\ntest_size = 0.3\nseed = 4\n")
    features, target = load_wine(return_X_y=True)
    expected = train_test_split(features, target, test_size=0.3, random_state=4, stratify=target)
    train, test = ran.output("split", "train"), ran.output("split", "test")
    assert test.n_rows == 54
    for got, wanted in zip((train.features, test.features, train.target, test.target), expected, strict=True):
        assert got.tolist() == wanted.tolist()
