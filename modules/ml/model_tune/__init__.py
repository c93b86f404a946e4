"""Module type (multistage): preprocess (fit feature transforms), tune (search the estimator's hyperparameters by
cross-validation, then fit the best), evaluate (test metrics).

``ml.model_train`` with its ``train`` stage replaced by ``tune``: a hyperparameter may be a range instead of one
value, and the candidates drawn from the ranges are scored on the training data alone, so the test set stays
unseen until ``evaluate``.

```ini
[model_tune]
type = pimlico_lite.modules.ml.model_tune
input_train = split.train
input_test = split.test
preprocess_primitives = sklearn.preprocessing.StandardScaler
tune_primitive = sklearn.svm.SVC
tune_C = between(0.1, 100, log)
tune_gamma = between(0.0001, 0.1, log)
tune_trials = 20
```

Every candidate, with its score, is the output ``model_tune:tune.trials``; the fitted best estimator is
``model_tune:tune.model``. A change to a ``tune_`` option (a range, the trials) leaves ``preprocess`` COMPLETE.
"""
