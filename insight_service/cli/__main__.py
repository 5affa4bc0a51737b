"""``python -m insight_service.cli``: the same as the ``insights`` command."""
import sys

from insight_service.cli.main import main

sys.exit(main())
