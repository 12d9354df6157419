"""`ruche import-polis`, the spelling the documentation uses, for `ruche import_polis`.

Django names a command after its module file; a module whose name has a hyphen cannot be
imported with an `import` statement, but Django loads it by name, which is all it needs.
"""

from ruche.consultations.management.commands.import_polis import Command

__all__ = ["Command"]
