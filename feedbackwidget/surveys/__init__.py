"""Surveys: question types, the built-in templates and the validation forms built from them."""
