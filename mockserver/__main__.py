"""Run the command line as `python -m mockserver`."""

import sys

from .cli import main

sys.exit(main())
