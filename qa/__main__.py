"""``python -m qa``: see :mod:`qa.cli`."""

import sys

from qa.cli import main

sys.exit(main())
