"""Declaration pages: the list and detail (declarations.py), file imports and profiles (imports.py)."""
