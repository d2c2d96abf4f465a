"""Shared helpers, packaged as a FunctionGraph dependency."""


def greet(name):
    return "hello, " + name
