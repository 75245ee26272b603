"""avtal: agreements between Swedish municipalities and regions, written as code."""

__version__ = "0.1.0"
