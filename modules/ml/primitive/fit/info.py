"""Declare the fit module type."""

from pimlico_lite.modules.ml.primitives import DYNAMIC_HYPERPARAMETERS

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Dataset, FittedModel


class ModuleInfo(BaseModuleInfo):
    """Fit a scikit-learn-style class, named by its dotted path, on a data set (its features, and its target if any).

    Every option other than ``primitive`` is a hyperparameter: an argument of the class's constructor, such as
    ``n_components = 20`` for ``sklearn.decomposition.PCA``. Each is read as a Python literal (``true``, ``none``
    and bare words work too) and, when the module runs, checked against the class's signature: an unknown name
    fails with the list of valid ones, and a value of a type the argument's default rules out fails (``C = [1]``),
    while ``yes``/``no`` become True/False for a boolean one. A number stays as written, whatever the default:
    ``max_iter = 1000.0`` is refused by scikit-learn (write ``1000``), since many integer hyperparameters also take
    a fraction (``max_features = 0.5``), and an integer stays one for a float default, since for some the two
    differ (``RandomForestRegressor``'s ``max_features = 1`` is one feature per split, ``1.0`` all of them). A
    scikit-learn estimator's own check of the values (``train_C = ten``) runs then too, before the data is read. Each
    such mistake names the line of the config that sets the hyperparameter.
    """

    module_type_name = "fit"
    module_readable_name = "Fit a primitive"
    module_inputs = [("data", Dataset())]
    module_outputs = [("model", FittedModel())]
    module_options = {
        "primitive": {
            "help": "The class to fit, by dotted path (sklearn.svm.SVC, sklearn.preprocessing.StandardScaler)",
            "required": True,
        },
    }
    module_dynamic_options = DYNAMIC_HYPERPARAMETERS
