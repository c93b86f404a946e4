"""The bundled library of module types, installed as ``pimlico_lite.modules``."""
