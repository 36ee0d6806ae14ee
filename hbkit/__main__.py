"""``python -m hbkit`` runs the command line."""

import sys

from hbkit.cli import main

sys.exit(main())
