"""``python -m hbkit`` runs the command line."""

import sys

from hbkit.cli import main

if __name__ == "__main__":
    sys.exit(main())
