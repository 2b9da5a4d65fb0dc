"""Dyad: a static site generator for sourced records of relations between states."""

__version__ = "0.1.0"
