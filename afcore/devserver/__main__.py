"""``python -m afcore.devserver``."""

import sys

from .cli import main

sys.exit(main())
