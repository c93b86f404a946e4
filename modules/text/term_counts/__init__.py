"""Module type: document-term counts, a sparse numeric data set, with classes from the document names."""
