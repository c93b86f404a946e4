"""Module type (multistage): any scikit-learn-style class, fitted in one stage and producing in the next."""
