"""The loader's parts: reading YAML and JSON safely, limits, paths, schemas, structuring.

``fourresp._load`` puts them together; nothing outside the library imports them.
"""
