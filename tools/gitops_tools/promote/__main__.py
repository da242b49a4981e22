"""`python -m gitops_tools.promote`: the promotion commands without the rest of `gitops`."""

import sys

from gitops_tools.promote.commands import main

sys.exit(main())
