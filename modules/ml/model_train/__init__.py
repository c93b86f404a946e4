"""Module type (multistage): preprocess (fit feature transforms), train (fit an estimator), evaluate (test metrics).

The slow early stage runs once: a change to a ``train_`` option makes ``train`` and ``evaluate`` OUTDATED and leaves
``preprocess`` COMPLETE, so ``run --all`` fits the estimator again without transforming the data again.

```ini
[model_train]
type = pimlico_lite.modules.ml.model_train
input_train = split.train
input_test = split.test
preprocess_primitives = sklearn.preprocessing.StandardScaler, sklearn.decomposition.PCA
preprocess_pca__n_components = 40
train_primitive = sklearn.svm.SVC
train_C = 10
```

``preprocess_STEP__NAME`` sets hyperparameter ``NAME`` of a preprocessing step (steps are named as scikit-learn's
``make_pipeline`` names them); ``train_NAME`` sets hyperparameter ``NAME`` of the estimator. The outputs are the
test metrics (the default) and the test set with its predictions; every stage's outputs are reachable too, such as
the fitted estimator ``model_train:train.model``.
"""
