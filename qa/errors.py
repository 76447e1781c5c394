"""Errors a user can act on: the CLI prints their message on one line, the app shows it."""


class ParallaxError(Exception):
    """Base class for problems caused by input or environment, not by a bug."""


class InputError(ParallaxError):
    """The input cannot be analysed as given (empty, binary, undecodable, too large, ...)."""


class ModelUnavailable(ParallaxError):
    """The requested sentence-embedding model cannot be loaded on this machine."""
