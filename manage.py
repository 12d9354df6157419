#!/usr/bin/env python
"""Django's command-line utility; `ruche` is the same with a few commands of its own."""

import sys

from ruche.cli import main

if __name__ == "__main__":
    sys.exit(main(["manage", *sys.argv[1:]]))
