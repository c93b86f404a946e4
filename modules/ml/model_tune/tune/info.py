"""Declare the tune module type."""

from pimlico_lite.modules.ml.tuning import hyperparameter_or_range

from pimlico_lite import BaseModuleInfo
from pimlico_lite.core import integer_at_least, random_seed
from pimlico_lite.datatypes import Dataset, FittedModel, Trials


class ModuleInfo(BaseModuleInfo):
    """Tune a scikit-learn-style estimator: try candidate hyperparameters by cross-validation on the training data,
    then fit the best candidate on all of it.

    Every option other than the declared ones is a hyperparameter, as for ``ml.primitive``'s fit: one value
    (``kernel = rbf``), or a range to tune, ``between(LOW, HIGH)`` (an integer when both bounds are, unless the
    hyperparameter's default is a float; when its default is not a number, such as ``gamma='scale'``, or is None
    and the bounds hold two whole numbers only, ``between(0, 1)``, the log says that whole numbers are drawn, and
    ``between(0.0, 1)`` draws any number; ``between(LOW, HIGH, log)`` on a log scale) or ``one_of(A, B, ...)``
    (scipy's ``loguniform(...)`` and the like are errors saying which to write). ``trials``
    candidates are drawn from the ranges with ``seed`` (every combination once, when the lists and integer ranges
    have no more combinations than that), and each is scored
    by ``folds``-fold cross-validation (stratified for a classifier), as scikit-learn's ``cv=folds``: each fold is
    a run of consecutive rows (``data.split`` gives its parts shuffled; a file sorted by its target is not). The
    output ``model`` is the best candidate fitted on all the training data; ``trials`` keeps every candidate with
    its score. The hyperparameters given one value, each value a ``one_of`` lists and the middle of each
    ``between``, are checked before any candidate is tried, as a scikit-learn estimator's fit checks them
    (``tune_kernel = rbff``: ``my.conf:21 [model_tune] tune_kernel: sklearn.svm.SVC refuses 'rbff': ...``), rather
    than blamed on the candidate that first draws them after the others ran. The estimator must be a classifier or
    a regressor (``evaluate`` scores its predictions against the target): a transform or a clusterer is refused
    before the search. The hyperparameters of ``preprocess``'s transforms (``STEP__NAME``) take one value, given to
    ``preprocess``: they are not tuned.

    When the data was transformed by fitted steps (``ml.model_tune``'s ``preprocess``), give those steps as the
    input ``preprocess`` and the data before them as ``unprocessed``: the steps are then fitted again inside each
    fold, on its training rows alone, as a scikit-learn ``Pipeline`` in a search is, so that no candidate is scored
    on rows that what it reads was fitted on (with a transform that looks at the target, such as feature selection,
    that would make its score too high).
    """

    module_type_name = "tune"
    module_readable_name = "Tune a primitive"
    module_inputs = [("data", Dataset())]
    module_optional_inputs = [("preprocess", FittedModel()), ("unprocessed", Dataset())]
    module_outputs = [("model", FittedModel()), ("trials", Trials())]
    module_options = {
        "primitive": {
            "help": "The estimator to tune, by dotted path (sklearn.svm.SVC)",
            "required": True,
        },
        "trials": {
            "help": "How many candidates to try at most",
            "type": integer_at_least(1),
            "default": 20,
        },
        "folds": {
            "help": "The folds of the cross-validation that scores each candidate",
            "type": integer_at_least(2),
            "default": 5,
        },
        "scoring": {
            "help": "A scikit-learn scorer name (f1_macro, neg_mean_squared_error); by default the estimator's own"
            " score(): accuracy for a classifier, R² for a regressor",
        },
        "positive_class": {
            "help": "For a scoring that counts one of two classes as positive (f1, precision, recall, jaccard,"
            " average_precision): which (by default class 1 of the data, the second of its class names)",
        },
        "seed": {
            "help": "The seed that draws the candidates",
            "type": random_seed,
            "default": 0,
        },
    }
    module_dynamic_options = {
        "help": "A hyperparameter of the estimator: one value, or a range to tune (between(LOW, HIGH),"
        " between(LOW, HIGH, log), one_of(A, B, ...)); checked against its signature when the module runs",
        "type": hyperparameter_or_range,
    }
