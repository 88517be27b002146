"""``python -m weaklabel.cli``: the same as the ``weaklabel`` command."""

import sys

from weaklabel.cli import main

sys.exit(main())
