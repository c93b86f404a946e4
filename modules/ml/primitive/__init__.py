"""Module type (multistage): any scikit-learn-style class, fitted in one stage and producing in the next.

This is a primitive in MLBlocks' sense. Name the class by its dotted path and give its hyperparameters as options;
the ``fit`` stage fits it on the ``train`` input and the ``produce`` stage applies it to the ``data`` input:

```ini
[scaled]
type = pimlico_lite.modules.ml.primitive
input_train = split.train
input_data = split.test
primitive = sklearn.preprocessing.StandardScaler
with_mean = false
```

The multistage module's output is the produced data set. The fitted model is the output ``scaled:fit.model``:
another module (``ml.primitive.produce``, say) reads it to reuse the model without fitting it again.
"""
